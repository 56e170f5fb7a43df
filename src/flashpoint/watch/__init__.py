"""Live monitoring: news feeds polled, their new items coded through the same path as
``ingest``, and alert rules run over the events that arrive or change.

- ``feeds.py``: the feeds a store watches (``flashpoint feeds add|list|remove``), kept in the
  store itself so that every watcher and every ``feeds list`` sees the same state;
- ``fetch.py``: the only HTTP client of the watcher (User-Agent, robots.txt, timeouts, size
  limits, one request at a time per site);
- ``items.py``: a feed's bytes to its items (feedparser), an item to an Article (its page's text,
  else its text in the feed);
- ``poll.py``: the :class:`~.poll.Watcher`: due feeds, conditional requests, back-off, and the
  bookkeeping that makes a poll cut short at any point lose and double nothing;
- ``alerts.py``, ``alert_rules.py``, ``sinks.py``: alert rules, checked after each round.

Nothing here runs at import, and nothing holds module-level state: a Watcher is given its
sessions, its ingest job and its fetcher.
"""
