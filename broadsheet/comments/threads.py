"""Comment threads as one flat list a template can walk without recursion.

Each ``Node`` says how deep it sits, whether a nested list opens under it, and how many nested
lists close after it — so the template prints ``<ol>``/``</ol>`` in order, in one loop.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from broadsheet.comments.models import Comment


@dataclass
class Node:
    comment: Comment
    depth: int
    opens_children: bool = False
    closes: list[None] = field(default_factory=list)  # one entry per nested list closing here
    can_reply: bool = True


def flatten(roots: Iterable[Comment], others: Iterable[Comment], max_depth: int) -> list[Node]:
    """Depth-first order: each root, then its replies (oldest first), recursively.

    A reply whose parent is not shown (held, trashed) hangs under the nearest shown ancestor's
    thread root instead of vanishing."""
    children: dict[int, list[Comment]] = defaultdict(list)
    shown_ids = {comment.pk for comment in roots} | {comment.pk for comment in others}
    for comment in sorted(others, key=lambda c: (c.created_at, c.pk)):
        parent_id = comment.parent_id if comment.parent_id in shown_ids else comment.thread_id
        children[parent_id].append(comment)

    nodes: list[Node] = []

    def walk(comment: Comment, depth: int) -> None:
        # Stored depth too: a reply hung under its thread root (its parent hidden) sits higher
        # than it is, and a reply to it would still land at the deepest level, not under it.
        node = Node(comment, depth, can_reply=max(depth, comment.depth) < max_depth)
        nodes.append(node)
        kids = children.get(comment.pk, [])
        if kids:
            node.opens_children = True
            for kid in kids:
                walk(kid, depth + 1)
            nodes[-1].closes.append(None)

    for root in roots:
        walk(root, 1)
    return nodes
