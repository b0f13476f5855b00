import time


def build(tf):
    time.sleep(120)
