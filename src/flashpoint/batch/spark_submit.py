"""A script for ``spark-submit`` (which runs a Python file, not a console command)::

    spark-submit --master yarn "$(python -m flashpoint.batch.spark_submit)" \
        batch s3a://bucket/news/ --engine spark --output s3a://bucket/flashpoint-out

Run as ``python -m flashpoint.batch.spark_submit`` it prints its own path; run by
spark-submit it is the ``flashpoint`` command, with spark-submit's settings in force.
``--typing-model FILE`` names a file where the driver runs; it is shipped to the executors.
"""

if __name__ == "__main__":
    import sys

    if len(sys.argv) == 1:
        print(__file__)
    else:
        from flashpoint.cli import main

        main()
