def run(jobs):
    raise NotImplementedError
