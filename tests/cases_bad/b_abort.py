import os


def build(tf):
    os.abort()
