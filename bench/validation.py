"""Validation time of the worst documents, in-process: the doubling fragment documents at
n = 10..40 and documents as large as the body limit lets them be, against oms's linear
query-cost check (oms/graphql/limits.py), with Strawberry's old limiters as the baseline
for small n (they walk 2^n selections: n=40 never ends).

    .venv/bin/python bench/validation.py            # about 10 s
    .venv/bin/python bench/validation.py --baseline-max-n 18

Each figure is the median of ``--repeat`` runs of what a request runs before execution:
the parse (with the token limit), then the cost check and, when it passes, graphql-core's
rules (no cache). "old" is graphql-core's rules with Strawberry's limiters added.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graphql import GraphQLError, parse, specified_rules, validate  # noqa: E402
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter  # noqa: E402

from oms.config import Settings  # noqa: E402
from oms.graphql.limits import Limits, cost_errors  # noqa: E402
from oms.graphql.schema import build_schema  # noqa: E402
from oms.graphql.text import StorableStringLiterals  # noqa: E402


def doubling(n: int) -> str:
    """F<i> spreads F<i+1> twice (and has an alias): 2^n selections once expanded."""
    parts = ["query Q { ...F0 }"]
    parts += [f"fragment F{i} on Query {{ x: __typename ...F{i + 1} ...F{i + 1} }}" for i in range(n)]
    parts.append(f"fragment F{n} on Query {{ productTypes {{ name }} }}")
    return "\n".join(parts)


def body_limit_cases(settings: Settings) -> dict[str, str]:
    """Documents near the body limit (1 MB by default) that stress one part each."""
    limit = settings.max_body_bytes - 200
    tokens = settings.max_query_tokens
    return {
        # The deepest fragment chain graphql-core accepts (nesting 200), each doubling.
        "doubling n=190": doubling(190),
        # graphql-core's overlap rule compares same-named fields pairwise (quadratic).
        "repeated fields (token limit)": "{" + " productTypes { name }" * (tokens // 4 - 2) + "}",
        # ... and fragments spread side by side pairwise.
        "fragments side by side": "query {" + "".join(f" ...F{i}" for i in range(tokens // 8)) + "}"
        + "".join(f" fragment F{i} on Query {{ f{i}: __typename }}" for i in range(tokens // 8)),
        # One huge string literal (one token), and a huge comment (no token).
        "1 MB string literal": '{ products(search: "' + "x" * (limit - 40) + '") { totalCount } }',
        "1 MB comment": "#" + "c" * (limit - 40) + "\n{ productTypes { name } }",
        # The same just under the document length limit (max_query_bytes).
        "string literal (length limit)": '{ products(search: "' + "x" * (settings.max_query_bytes - 60) + '") { totalCount } }',
        "comment (length limit)": "#" + "c" * (settings.max_query_bytes - 60) + "\n{ productTypes { name } }",
        "fields (length limit)": "{" + " __typename" * (settings.max_query_bytes // 11 - 1) + "}",
        # Past the token limit: the parser stops at the limit.
        "1 MB of fields": "{" + " __typename" * (limit // 11) + "}",
    }


def time_new(schema, settings: Settings, document: str, repeat: int) -> tuple[float, float, str]:
    """Median seconds of what a request runs before execution: the parse (token limit),
    then the cost check, then graphql-core's rules if it passed; and the first error."""
    limits = Limits(
        max_depth=settings.max_query_depth, max_aliases=settings.max_query_aliases,
        max_selections=settings.max_query_selections, max_field_pairs=settings.max_query_field_pairs,
    )
    rules = (*specified_rules, StorableStringLiterals)
    parse_times, check_times = [], []
    message = ""
    for _ in range(repeat):
        started = time.perf_counter()
        if len(document.encode()) > settings.max_query_bytes:  # ParseWithinLimits
            parse_times.append(time.perf_counter() - started)
            check_times.append(0.0)
            message = f"The GraphQL document is larger than {settings.max_query_bytes} bytes."
            continue
        try:
            parsed = parse(document, max_tokens=settings.max_query_tokens)
        except GraphQLError as error:
            parse_times.append(time.perf_counter() - started)
            check_times.append(0.0)
            message = error.message
            continue
        parsed_at = time.perf_counter()
        errors = cost_errors(parsed, limits) or validate(schema._schema, parsed, rules)
        check_times.append(time.perf_counter() - parsed_at)
        parse_times.append(parsed_at - started)
        message = errors[0].message if errors else "(valid)"
    return statistics.median(parse_times), statistics.median(check_times), message


def time_old(graphql_schema, settings: Settings, document: str) -> float:
    """Seconds of graphql-core validation with Strawberry's old limiters added."""
    rules = [
        *specified_rules,
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_query_aliases).validation_rules,
    ]
    parsed = parse(document, max_tokens=settings.max_query_tokens)
    started = time.perf_counter()
    validate(graphql_schema, parsed, rules)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline-max-n", type=int, default=16,
                        help="old limiters up to this n (2^n work: 16 takes ~0.5 s, 22 ~30 s)")
    args = parser.parse_args()
    settings = Settings()
    schema = build_schema(settings)

    print(f"{'document':<32} {'bytes':>9} {'parse':>8} {'check':>8} {'old':>9}  (ms) answer")
    for n in (10, 12, 14, 16, 20, 30, 40):
        document = doubling(n)
        parsed, checked, message = time_new(schema, settings, document, args.repeat)
        if n <= args.baseline_max_n:
            old = f"{time_old(schema._schema, settings, document) * 1000:9.1f}"
        else:
            old = f"{'never' if n >= 30 else 'skipped':>9}"
        print(f"{'doubling n=' + str(n):<32} {len(document):>9} {parsed * 1000:>8.2f} {checked * 1000:>8.2f} {old}  {message[:70]}")
    for name, document in body_limit_cases(settings).items():
        parsed, checked, message = time_new(schema, settings, document, args.repeat)
        print(f"{name:<32} {len(document):>9} {parsed * 1000:>8.2f} {checked * 1000:>8.2f} {'':>9}  {message[:70]}")


if __name__ == "__main__":
    main()
