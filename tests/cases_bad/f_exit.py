import os


def build(tf):
    os._exit(7)
