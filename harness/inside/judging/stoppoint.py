"""Where backprop stops: for a `none` pair, the op on the forward path whose gradient chain breaks.

Inside rules: Python 3.6+, standard library and TensorFlow only, no imports from harness.host, no
f-string '=', no dataclasses.

Walking from the target toward the source over the float tensors between them, the break is the op
whose output still receives a gradient while its input on the path does not (None, or tf.gradients
raises for it: TF 1.8 raises "gradients list should have been aggregated by now" for some tensors).
Tensors inside a control flow v1 while loop differ per iteration and are walked through, not asked.
"""
from collections import deque

from harness.inside import tfapi
from harness.schema import ERROR, GRAD, NONE


def _reach(starts, step):
    seen, todo = set(), list(starts)
    while todo:
        op = todo.pop()
        if op not in seen:
            seen.add(op)
            todo.extend(step(op))
    return seen


def between(source, ys):
    """The ops on some forward path from the source's op to a target tensor."""
    fwd = _reach([tfapi.source_op(source)],
                 lambda op: [c for out in op.outputs for c in out.consumers()])
    bwd = _reach([y.op for y in ys], lambda op: [i.op for i in op.inputs])
    return fwd & bwd


def _askable(tensor, ops, ys):
    return (tensor.op in ops and tfapi.is_float(tensor.dtype) and tensor not in ys
            and not tfapi.in_while_loop(tensor.op))


def statuses(api, ys, tensors):
    """tensor -> (status, error text) of d ys / d tensor: one tf.gradients call, halved on errors."""
    if not tensors:
        return {}
    try:
        grads = api.gradients(ys, tensors)
        return dict((t, (NONE if g is None else GRAD, "")) for t, g in zip(tensors, grads))
    except Exception as exc:
        if len(tensors) == 1:
            return {tensors[0]: (ERROR, "{}: {}".format(type(exc).__name__, str(exc).strip()[:200]))}
    half = len(tensors) // 2
    out = statuses(api, ys, tensors[:half])
    out.update(statuses(api, ys, tensors[half:]))
    return out


def _path_inputs(tensor, ops, start, ys):
    """The path tensors an op's output depends on, seen through while-loop internals. Where the op's
    own inputs on the path are all integer or boolean (a cast back from int, an argmax's index
    cast to float), those: no gradient flows through them. Integer tensors beside float ones (loop
    counters, sizes, sequence lengths) are not the path a gradient takes."""
    found, discrete, seen, todo = [], [], set(), [tensor.op]
    while todo:
        op = todo.pop()
        for inp in op.inputs:
            if inp.op not in ops or inp in seen:
                continue
            seen.add(inp)
            if inp.op is start or _askable(inp, ops, ys):
                found.append(inp)
            elif op is tensor.op and _discrete(inp):
                discrete.append(inp)
            elif tfapi.in_while_loop(inp.op) and tfapi.is_float(inp.dtype):
                todo.append(inp.op)
    return found or discrete


def _discrete(tensor):
    """An integer or boolean tensor (not a resource handle or a variant)."""
    dtype = getattr(tensor.dtype, "base_dtype", tensor.dtype)
    return bool(getattr(dtype, "is_integer", False) or getattr(dtype, "is_bool", False))


def locate(api, ys, source, cache):
    """{'break_op', 'break_type', 'detail'} for one none pair; cache holds tensor statuses per target.

    Breadth-first from the target: only the inputs of tensors known to receive a gradient are asked,
    so the first break costs a few tf.gradients calls, not one per tensor of the path.
    """
    ops = between(source, ys)
    if not ops:
        return {"break_op": "", "break_type": "", "detail": "no forward path from source to target"}
    start = tfapi.source_op(source)
    queue, seen = deque(ys), set(ys)
    while queue:
        tensor = queue.popleft()
        inputs = _path_inputs(tensor, ops, start, ys)
        cache.update(statuses(api, ys, [t for t in inputs if t not in cache and t.op is not start
                                        and not _discrete(t)]))
        for inp in inputs:
            if _discrete(inp):
                detail = ("backprop stops at {} ({}): {} receives a gradient, its input {} is {}: "
                          "no gradient flows through it").format(
                              tensor.op.name, tensor.op.type, tensor.name, inp.name,
                              inp.dtype.base_dtype.name)
                return {"break_op": tensor.op.name, "break_type": tensor.op.type, "detail": detail}
            status, error = cache.get(inp, (NONE, ""))
            if status == GRAD:
                if inp not in seen:
                    seen.add(inp)
                    queue.append(inp)
                continue
            detail = "backprop stops at {} ({}): {} receives a gradient, its input {} {}".format(
                tensor.op.name, tensor.op.type, tensor.name, inp.name,
                "gets None" if status == NONE else "makes tf.gradients raise " + error)
            return {"break_op": tensor.op.name, "break_type": tensor.op.type, "detail": detail}
    return {"break_op": "", "break_type": "", "detail": "no tensor on the path receives a gradient"}


def annotate(api, pairs, targets, sources):
    """Add break_op/break_type/detail to every `none` pair of a graph cell."""
    for tname, ys in targets.items():
        cache = {}
        for pair in pairs:
            if pair["target"] == tname and pair["status"] == NONE:
                pair.update(locate(api, ys, sources[pair["source"]], cache))
