"""The typing model (``--typing-model``) wherever the pipeline runs, not only in ``extract``:
``flashpoint batch`` (local process pool, Spark) and ``flashpoint serve`` (POST /api/articles).

One small hashed model (no encoder) is trained with ``flashpoint typing-model train
--no-encoder`` on the sentences of test_typing_model.py. The rules code a storm report as
events and find none in an assault the rules have no trigger for; the model vetoes the first
and proposes an attack for the second. So whether a run used the model shows in the events a
user gets, and each run is compared with what ``flashpoint extract`` gives with and without it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from flashpoint.cli import main
from flashpoint.events.typing_model import NO_EVENT, TypingModel

from .test_typing_encoder import BANK, TRAINING

TOKEN = "reach-token-0123456789abcdef"
STORM = {"id": "storm", "text": "The storm damaged the bridge and destroyed several shops.", "outlet": "Coast Wire"}
ASSAULT = {"id": "assault", "text": "Armed men set upon the farmers and beat them with sticks.", "outlet": "Hill Post"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("reach")


@pytest.fixture(scope="module")
def model_path(folder) -> Path:
    """A hashed typing model trained by the CLI, as a user would (no encoder: fast)."""
    codes = {NO_EVENT: "NATURAL_DISASTER", "Attack": "ATTACK", "Peaceful protest": "PEACE_PROTEST"}
    rows = ["id\tEventSnippet\tSubType"]
    rows += [f"{i}\t{text}\t{'DIPLO' if text == BANK else codes[label]}" for i, (text, label) in enumerate(TRAINING)]
    data = folder / "labelled.tsv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    path = folder / "typing.npz"
    trained = CliRunner().invoke(main, ["typing-model", "train", str(data), "-o", str(path), "--no-encoder"])
    assert trained.exit_code == 0, trained.output
    return path


@pytest.fixture(scope="module")
def corpus(folder) -> Path:
    path = folder / "articles.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in (STORM, ASSAULT)), encoding="utf-8")
    return path


def types_by_article(lines: list[str]) -> dict[str, list[str]]:
    """{article id: its events' sub-event types} from JSON Lines events."""
    out: dict[str, list[str]] = {STORM["id"]: [], ASSAULT["id"]: []}
    for event in map(json.loads, filter(None, lines)):
        for source in event["sources"]:
            out[source["article_id"]].append(event["sub_event_type"])
    return {k: sorted(v) for k, v in out.items()}


def batch_types(output: Path) -> dict[str, list[str]]:
    path = output / "events.jsonl"
    files = sorted(path.glob("part-*")) if path.is_dir() else [path]  # Spark writes part files
    return types_by_article([line for f in files for line in f.read_text(encoding="utf-8").splitlines()])


@pytest.fixture(scope="module")
def extracted(corpus, model_path) -> dict[str, dict[str, list[str]]]:
    """What ``flashpoint extract`` gives on the corpus, rules only and with the model."""
    out = {}
    for name, extra in (("rules", []), ("model", ["--typing-model", str(model_path)])):
        result = CliRunner().invoke(main, ["extract", str(corpus), "--format", "jsonl", *extra])
        assert result.exit_code == 0, result.output
        out[name] = types_by_article([x for x in result.stdout.splitlines() if x.startswith("{")])
    assert out["rules"][STORM["id"]] and not out["rules"][ASSAULT["id"]], "the rules code the storm, not the assault"
    assert out["model"] == {STORM["id"]: [], ASSAULT["id"]: ["Attack"]}, "the model vetoes the storm, adds the attack"
    return out


def error_line(output: str) -> str:
    (line,) = [x for x in output.splitlines() if x.startswith("Error:")]
    return line


# ---------------------------------------------------------------------------
# flashpoint batch, local engine
# ---------------------------------------------------------------------------


def test_batch_local_workers_use_the_typing_model(tmp_path, corpus, model_path, extracted):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(corpus), "-o", str(out), "--workers", "2", "--chunk-size", "1",
                                       "--typing-model", str(model_path)])
    assert result.exit_code == 0, result.output
    assert batch_types(out) == extracted["model"] != extracted["rules"]
    assert f"1 article event(s) linked into 1 event(s); typing model {model_path}; output in {out}" in result.output
    assert json.loads((out / "_batch.json").read_text())["typing_model"] == str(model_path)

    # The run is recorded with its model: resuming it without the model is refused.
    again = CliRunner().invoke(main, ["batch", str(corpus), "-o", str(out), "--resume"])
    assert again.exit_code == 1 and "cannot resume" in again.output


def test_batch_local_without_the_model_gives_the_rules_events(tmp_path, corpus, extracted):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(corpus), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert batch_types(out) == extracted["rules"]
    assert "typing model" not in result.output
    assert json.loads((out / "_batch.json").read_text())["typing_model"] is None


def test_run_local_refuses_a_model_its_workers_could_not_load_before_writing(tmp_path, corpus):
    from flashpoint.batch import run_local

    bogus = tmp_path / "bogus.npz"
    bogus.write_bytes(b"not a model")
    out = tmp_path / "out"
    with pytest.raises(ValueError, match="pickled"):  # numpy's reason, not "a worker process died"
        run_local([str(corpus)], out, workers=1, typing_model=bogus)
    assert not out.exists(), "nothing is written"


def test_run_spark_refuses_a_model_its_executors_could_not_load_before_starting_spark(tmp_path, corpus):
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    from flashpoint.batch.spark import run_spark

    bogus = tmp_path / "bogus.npz"
    bogus.write_bytes(b"not a model")
    out = tmp_path / "out"
    before = SparkSession.getActiveSession()
    with pytest.raises(ValueError, match="pickled"):  # raised here, not as a failed Spark task
        run_spark([str(corpus)], str(out), master="local[1]", typing_model=bogus)
    assert SparkSession.getActiveSession() is before, "no Spark session was started for it"
    assert not out.exists(), "nothing is written"


# ---------------------------------------------------------------------------
# Errors: the ones extract gives, before anything is written or started
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def broken_models(folder, model_path) -> dict[str, Path]:
    bogus = folder / "bogus.npz"
    bogus.write_bytes(b"not a model")
    empty = folder / "empty.npz"
    empty.write_bytes(b"")
    cut = folder / "cut.npz"
    cut.write_bytes(model_path.read_bytes()[:200])  # an interrupted copy
    # A model that reads sentence embeddings (its dense weights are never reached here).
    hashed = TypingModel.load(model_path)
    embedding = folder / "embedding.npz"
    replace(hashed, dense=np.zeros((len(hashed.labels), 4), np.float32), encoder="all-MiniLM-L6-v2").save(embedding)
    other = folder / "other-encoder.npz"
    replace(hashed, dense=np.zeros((len(hashed.labels), 4), np.float32), encoder="some-other-encoder").save(other)
    return {"not a model": bogus, "missing file": folder / "absent.npz", "needs the extra": embedding,
            "empty file": empty, "cut-off file": cut, "another encoder": other}


BROKEN = ["not a model", "missing file", "needs the extra", "empty file", "cut-off file", "another encoder"]


def hide_model_packages(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # as if the [model] extra were not installed


@pytest.mark.parametrize("case", [c for c in BROKEN if c != "missing file"])  # click checks that one first
def test_every_unusable_model_raises_one_exception_naming_the_file(broken_models, case, monkeypatch):
    from flashpoint.events.typing_model import TypingModelUnusable
    from flashpoint.pipeline import Resources

    if case == "needs the extra":
        hide_model_packages(monkeypatch)
    model = broken_models[case]
    with pytest.raises(TypingModelUnusable) as raised:  # before the language model loads
        Resources.load(typing_model=model)
    message = str(raised.value)
    assert "\n" not in message and "Traceback" not in message
    if case == "needs the extra":
        assert 'pip install -e ".[model]"' in message
    else:
        assert message.startswith(f"cannot use typing model {model}: ")
    if case == "another encoder":
        assert "fitted on some-other-encoder embeddings" in message


@pytest.mark.parametrize("case", BROKEN)
@pytest.mark.parametrize("engine", ["local", "spark"])
def test_batch_gives_extracts_error_for_a_model_it_cannot_use(tmp_path, corpus, broken_models, case, engine,
                                                              monkeypatch):
    if case == "needs the extra":
        hide_model_packages(monkeypatch)
    model = str(broken_models[case])
    runner = CliRunner()
    extract = runner.invoke(main, ["extract", str(corpus), "--typing-model", model])
    out = tmp_path / "out"
    batch = runner.invoke(main, ["batch", str(corpus), "-o", str(out), "--engine", engine, "--typing-model", model])
    assert batch.exit_code == extract.exit_code != 0
    assert error_line(batch.output) == error_line(extract.output)
    assert not out.exists(), "nothing is written"
    if case == "needs the extra":
        assert 'pip install -e ".[model]"' in error_line(batch.output)


# ---------------------------------------------------------------------------
# flashpoint batch, Spark engine
# ---------------------------------------------------------------------------


@pytest.mark.slow
def test_batch_spark_executors_use_the_typing_model(tmp_path, corpus, model_path, extracted):
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime (scripts/install-system-deps installs one)")
    from pyspark.sql import SparkSession

    out = tmp_path / "spark"
    try:
        result = CliRunner().invoke(main, ["batch", str(corpus), "-o", str(out), "--engine", "spark",
                                           "--master", "local[2]", "--partitions", "2",
                                           "--typing-model", str(model_path)])
    finally:
        active = SparkSession.getActiveSession()
        if active is not None:
            active.stop()
    assert result.exit_code == 0, result.output
    assert batch_types(out) == extracted["model"] != extracted["rules"]
    assert f"typing model {model_path}; output in {out}" in result.output
    assert json.loads((out / "_batch.json").read_text())["typing_model"] == str(model_path)


@pytest.mark.slow
def test_one_spark_session_runs_two_models_that_share_a_file_name(tmp_path, corpus, model_path, extracted):
    """Spark's addFile refuses a second file of the same name from another path; the engine
    ships each model under a name of its own, so the second run uses the second model."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime (scripts/install-system-deps installs one)")
    from pyspark.sql import SparkSession

    from flashpoint.batch.spark import run_spark

    # The second model keeps the weights but proposes nothing: the assault gets no event.
    silent = TypingModel.load(model_path)
    silent = replace(silent, policy=replace(silent.policy, propose=1.01))
    other = tmp_path / "other" / model_path.name
    other.parent.mkdir()
    silent.save(other)
    try:
        run_spark([str(corpus)], str(tmp_path / "first"), master="local[2]", partitions=1, typing_model=model_path)
        run_spark([str(corpus)], str(tmp_path / "second"), master="local[2]", partitions=1, typing_model=other)
    finally:
        active = SparkSession.getActiveSession()
        if active is not None:
            active.stop()
    assert batch_types(tmp_path / "first") == extracted["model"]
    assert batch_types(tmp_path / "second") == {STORM["id"]: [], ASSAULT["id"]: []}


# ---------------------------------------------------------------------------
# flashpoint serve: the write route's ingest
# ---------------------------------------------------------------------------


def post_and_list(client) -> tuple[list[dict], dict[str, list[str]]]:
    """POST both articles; the per-item results and the stored events' types per article."""
    r = client.post("/api/articles", json=[STORM, ASSAULT], headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    stored: dict[str, list[str]] = {STORM["id"]: [], ASSAULT["id"]: []}
    for item in r.json()["results"]:
        for event_id in item["event_ids"]:
            stored[item["id"]].append(client.get(f"/api/events/{event_id}").json()["sub_event_type"])
    return r.json()["results"], {k: sorted(v) for k, v in stored.items()}


def test_api_ingest_uses_the_settings_typing_model(tmp_path, model_path, extracted):
    from .test_api import make_client
    from flashpoint.api import Settings, create_app

    app = create_app(Settings(db=str(tmp_path / "e.sqlite"), write_token=TOKEN, typing_model=str(model_path)))
    results, stored = post_and_list(make_client(app))
    assert [r["status"] for r in results] == ["new", "new"]
    assert stored == extracted["model"] != extracted["rules"]


def test_api_settings_with_a_model_it_cannot_use_fail_at_start(tmp_path, broken_models):
    from flashpoint.api import Settings, create_app

    with pytest.raises(ValueError, match="pickled"):
        create_app(Settings(db=str(tmp_path / "e.sqlite"), write_token=TOKEN,
                            typing_model=str(broken_models["not a model"])))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASHPOINT_") or k == "FLASHPOINT_DATA_DIR"}
    return env | extra


@contextmanager
def running_server(tmp_path: Path, args: list[str], env: dict[str, str]):
    """``flashpoint serve ARGS`` in its own process, once it answers: (client, stderr so far)."""
    import httpx

    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as err:
        server = subprocess.Popen([sys.executable, "-m", "flashpoint", "serve", "--db", str(tmp_path / "e.sqlite"),
                                   "--create", "--port", str(port), *args], stdout=subprocess.DEVNULL, stderr=err,
                                  env=env)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            deadline = time.monotonic() + 180
            while True:
                assert server.poll() is None, log.read_text()
                try:
                    if client.get("/api/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
            yield client, log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_loads_the_typing_model_from_its_env_var_and_types_posted_articles(tmp_path, model_path, extracted):
    env = serve_env(FLASHPOINT_TYPING_MODEL=str(model_path), FLASHPOINT_API_TOKEN=TOKEN)
    with running_server(tmp_path, [], env) as (client, started):
        results, stored = post_and_list(client)
    assert f"writing is on (token required) (typing model {model_path})" in started
    assert [r["status"] for r in results] == ["new", "new"]
    assert stored == extracted["model"] != extracted["rules"]


def test_serve_without_a_write_token_says_the_model_is_not_loaded(tmp_path, model_path):
    with running_server(tmp_path, ["--typing-model", str(model_path)], serve_env()) as (client, started):
        assert client.post("/api/articles", json=STORM).status_code == 403
    assert "--typing-model is not loaded: it types POSTed articles, and writing is off (no --token)" in started
    assert "writing is off\n" in started


@pytest.mark.parametrize("case", ["not a model", "missing file", "needs the extra", "cut-off file"])
def test_serve_gives_extracts_error_for_a_model_it_cannot_use(tmp_path, corpus, broken_models, case, monkeypatch):
    model = str(broken_models[case])
    env = serve_env(FLASHPOINT_API_TOKEN=TOKEN)
    if case == "needs the extra":  # a stand-in package that is "not installed", for the server's process
        shadow = tmp_path / "shadow" / "sentence_transformers"
        shadow.mkdir(parents=True)
        (shadow / "__init__.py").write_text(
            "raise ModuleNotFoundError(\"No module named 'sentence_transformers'\", name='sentence_transformers')\n")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(shadow.parent), env.get("PYTHONPATH")]))
        hide_model_packages(monkeypatch)
    extract = CliRunner().invoke(main, ["extract", str(corpus), "--typing-model", model])
    db = tmp_path / "e.sqlite"
    serve = subprocess.run([sys.executable, "-m", "flashpoint", "serve", "--db", str(db), "--create", "--port",
                            str(free_port()), "--typing-model", model], capture_output=True, text=True, env=env,
                           timeout=120)
    assert serve.returncode == extract.exit_code != 0
    expected = error_line(extract.output)
    if case == "missing file":  # click names the env var that can set the option as well
        expected = expected.replace("'--typing-model'", "'--typing-model' (env var: 'FLASHPOINT_TYPING_MODEL')")
    assert error_line(serve.stderr) == expected
    assert not db.exists(), "the server stopped before opening the store"
