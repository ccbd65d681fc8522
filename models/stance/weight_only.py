"""Turn the int8 model onnxruntime's dynamic quantisation writes into a weight-only int8
model: the same int8 weights and scales, each dequantised to float (DequantizeLinear) in
front of a float MatMul, where the quantised model multiplied integers.

Why: with dynamically quantised activations, onnxruntime multiplies u8 by s8 with kernels
that differ by instruction set (AVX2 sums pairs of products in 16 bits and saturates,
AVX-512 VNNI does not), so the same pair read 0.63 on one CPU and 0.82 on another. Here
nothing is quantised at run time: the weights are dequantised once, when the session
folds constants (claimwatch.entailment turns off onnxruntime's QDQ fusions, which would
put integer kernels back), and every product is a float one. The file stays int8-sized.

    python models/stance/weight_only.py stance-int8.onnx stance.onnx     # needs onnx
"""

from __future__ import annotations

import sys
from collections import defaultdict

import onnx
from onnx import helper, numpy_helper


def constant(graph_inits: dict, producers: dict, name: str):
    """Return the constant value of a tensor name (an initializer or a Constant node)."""
    if name in graph_inits:
        return numpy_helper.to_array(graph_inits[name])
    node = producers.get(name)
    if node is not None and node.op_type == "Constant":
        return numpy_helper.to_array(node.attribute[0].t)
    return None


def weight_only(model: onnx.ModelProto) -> int:
    """Rewrite every MatMulInteger with a constant int8 weight in place; return how many.

    The pattern quantize_dynamic writes: DynamicQuantizeLinear(x) -> MatMulInteger(xq, w,
    xz, wz) -> Cast(float) -> Mul(x_scale * w_scale). It becomes DequantizeLinear(w,
    w_scale, wz, axis=1) -> MatMul(x, w_float)."""
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    producers = {out: node for node in graph.node for out in node.output}
    consumers = defaultdict(list)
    for node in graph.node:
        for name in node.input:
            consumers[name].append(node)
    replaced, dropped, dequantisers = {}, set(), []
    for node in graph.node:
        if node.op_type != "MatMulInteger":
            continue
        quantised_x, weight, _, weight_zero = node.input
        x = producers[quantised_x].input[0]
        (cast,) = consumers[node.output[0]]
        (scaled,) = consumers[cast.output[0]]
        scale_product = producers[next(i for i in scaled.input if i != cast.output[0])]
        (weight_scale,) = [
            i for i in scale_product.input if constant(inits, producers, i) is not None
        ]
        dequantised = f"{weight}_dequantized"
        dequantisers.append(
            helper.make_node(
                "DequantizeLinear",
                [weight, weight_scale, weight_zero],
                [dequantised],
                name=f"{node.name}_weights",
                axis=1,
            )
        )
        replaced[id(scaled)] = helper.make_node(
            "MatMul", [x, dequantised], [scaled.output[0]], name=f"{node.name}_float"
        )
        dropped.update({id(node), id(cast)})
    nodes = [replaced.get(id(n), n) for n in graph.node if id(n) not in dropped]
    del graph.node[:]
    graph.node.extend(topological(dequantisers + nodes, graph))
    prune(graph)
    return len(dequantisers)


def topological(nodes: list, graph) -> list:
    """Order nodes so that each comes after the producers of its inputs."""
    known = {i.name for i in graph.initializer} | {i.name for i in graph.input} | {""}
    ordered, pending = [], list(nodes)
    while pending:
        ready = [n for n in pending if all(i in known for i in n.input)]
        if not ready:
            raise ValueError("the graph has a cycle or a missing input")
        for node in ready:
            ordered.append(node)
            known.update(node.output)
        pending = [n for n in pending if n not in ready]
    return ordered


def prune(graph) -> None:
    """Drop the nodes and initializers nothing uses any more."""
    outputs = {o.name for o in graph.output}
    while True:
        used = outputs | {name for node in graph.node for name in node.input}
        kept = [node for node in graph.node if any(o in used for o in node.output)]
        if len(kept) == len(graph.node):
            break
        del graph.node[:]
        graph.node.extend(kept)
    used = outputs | {name for node in graph.node for name in node.input}
    kept_inits = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept_inits)


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    model = onnx.load(source)
    count = weight_only(model)
    onnx.checker.check_model(model)
    onnx.save(model, target)
    print(f"{count} integer matrix products made float; written {target}")


if __name__ == "__main__":
    main()
