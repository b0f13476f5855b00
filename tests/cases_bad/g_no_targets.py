def build(tf):
    return {"sources": {}}
