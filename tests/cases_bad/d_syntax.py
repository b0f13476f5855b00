def build(tf):
    return {"targets": (
