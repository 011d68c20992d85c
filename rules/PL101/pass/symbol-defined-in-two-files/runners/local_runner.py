def run(jobs):
    for job in jobs:
        job()
