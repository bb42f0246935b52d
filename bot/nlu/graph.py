"""Rasa's prediction graph run in plain order, without dask's scheduler around each component.

Rasa 3.6 runs a parse as a dask graph: every call rebuilds the minimal schema for the targets, a dask
task dict and dask's local scheduler state around the eight components of our pipeline. For one
short message that bookkeeping is a sizeable part of a parse (issue 17's profile: the scheduler and
schema walks around ~4.9 ms of component calls in 5.8 ms). The same GraphNode objects are called here
with the same inputs, in a dependency order worked out once per set of targets, so each component
sees exactly what dask would have handed it: the parse is the same, only cheaper. A test compares
both runners' answers on every text we have.
"""
from __future__ import annotations

import logging
import types
from typing import Any

import numpy as np

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

log = logging.getLogger(__name__)


class InOrderRunner:
    """Wraps a loaded DaskGraphRunner and runs its nodes itself. Its `run` has the runner's signature."""

    def __init__(self, runner: DaskGraphRunner) -> None:
        self._runner = runner
        self._schema = runner._graph_schema
        self._nodes = runner._instantiated_nodes
        self._plans: dict[tuple[str, ...], list[tuple[str, tuple[str, ...]]]] = {}
        self.lightened: list = []  # (component, method) given a lighter version (run_in_order)

    def _plan(self, targets: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
        """(node, the names its inputs come from) in an order where every input is computed first."""
        plan = self._plans.get(targets)
        if plan is None:
            schema = self._schema.minimal_graph_schema(list(targets))
            plan, done = [], set()

            def visit(name: str, path: tuple[str, ...] = ()) -> None:
                if name in done or name not in schema.nodes:
                    return  # computed already, or an input placeholder
                if name in path:
                    raise GraphRunError(f"cycle in the graph at {name}")
                needs = tuple(schema.nodes[name].needs.values())
                for parent in needs:
                    visit(parent, path + (name,))
                done.add(name)
                plan.append((name, needs))

            for target in targets:
                visit(target)
            plan = self._plans[targets] = plan
        return plan

    def run(self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None) -> dict[str, Any]:
        run_targets = tuple(targets if targets else self._schema.target_names)
        # As dask's graph holds them: an input is the pair (its name, its value), and a node's
        # result is the pair (node name, output) that GraphNode.__call__ returns.
        results: dict[str, Any] = {name: (name, value) for name, value in (inputs or {}).items()}
        try:
            for name, needs in self._plan(run_targets):
                results[name] = self._nodes[name](*(results[parent] for parent in needs))
        except RuntimeError as exc:
            raise GraphRunError("Error running runner.") from exc
        return dict(results[target] for target in run_targets)


def _sentence_features_only(self, messages):
    """LogisticRegressionClassifier._create_X for prediction, without the work it throws away:
    Rasa's `get_sparse_features` deep-copies and concatenates every featurizer's *sequence* matrix
    too (a row per token), and the classifier keeps only the sentence row, which it then joins with
    scipy's general block stacking three times over. Here each message's sentence features are laid
    side by side in the same featurizer order (the same column offsets), followed by the dense
    sentence features (the word vectors' mean) where Rasa puts them, after every sparse column, into
    one matrix in scipy's canonical form, which is what those stackings end in: the parity test
    compares every confidence on every text we have."""
    from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
    from scipy.sparse import coo_matrix

    rows, cols, data, dtypes, width = [], [], [], [np.dtype("float64")], None
    for i, message in enumerate(messages):
        offset = 0
        sentence = [f for f in message.features if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE]
        for f in [f for f in sentence if f.is_sparse()] + [f for f in sentence if f.is_dense()]:
            block = f.features.tocoo() if f.is_sparse() else coo_matrix(f.features)
            rows.append(np.full(block.nnz, i, dtype=np.int64))
            cols.append(block.col.astype(np.int64) + offset)
            data.append(block.data)
            dtypes.append(block.dtype)
            offset += block.shape[1]
        if width is not None and offset != width:
            return _rasa_create_X(self, messages)
        width = offset
    dtype = np.result_type(*dtypes)
    if not data:
        return _rasa_create_X(self, messages)
    return coo_matrix((np.concatenate(data).astype(dtype), (np.concatenate(rows), np.concatenate(cols))),
                      shape=(len(messages), width)).tocsr()


def _rasa_create_X(self, messages):
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

    return LogisticRegressionClassifier._create_X(self, messages)


def _lighter_components(nodes) -> list:
    """The components given a lighter method: [(component, method name)], for the parity test."""
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

    changed = []
    for node in nodes.values():
        component = getattr(node, "_component", None)
        if type(component) is LogisticRegressionClassifier:
            component._create_X = types.MethodType(_sentence_features_only, component)
            changed.append((component, "_create_X"))
    return changed


def run_in_order(agent) -> bool:
    """Swaps the loaded agent's dask runner for an InOrderRunner; False (and dask kept) for a runner
    of another kind, e.g. after a Rasa upgrade changed its internals."""
    processor = getattr(agent, "processor", None)
    runner = getattr(processor, "graph_runner", None)
    if type(runner) is not DaskGraphRunner or not hasattr(runner, "_instantiated_nodes"):
        log.warning("NLU graph runner is %s: parsing through it as it is", type(runner).__name__)
        return False
    processor.graph_runner = InOrderRunner(runner)
    processor.graph_runner.lightened = _lighter_components(runner._instantiated_nodes)
    return True
