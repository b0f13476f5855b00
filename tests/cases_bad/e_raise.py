def build(tf):
    raise RuntimeError("<script>alert('case error')</script>")
