#!/usr/bin/env python3
"""Validates siglab's JSON outputs against docs/schema/*.schema.json.

    scripts/json-schema.py SCHEMA.json [FILE...]

Each FILE (standard input when none) holds JSON Lines: every line must be
valid under SCHEMA, with no key twice in one object.  Prints one line per failure and a summary; exit 1 when
any line fails, 2 on a usage error."""
import json
import os
import sys
import warnings

import jsonschema

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "schema")


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return json.load(f)


def validator(name):
    schema = load(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    others = {s["$id"]: s for s in (load(n) for n in os.listdir(HERE) if n.endswith(".json"))}
    try:  # jsonschema >= 4.18
        from referencing import Registry, Resource
        reg = Registry().with_resources(
            (i, Resource.from_contents(s)) for i, s in others.items())
        return cls(schema, registry=reg)
    except ImportError:  # Debian 12's jsonschema 4.10
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = jsonschema.RefResolver.from_schema(schema, store=others)
        return cls(schema, resolver=res)


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise ValueError(f"key repeated in one object: {', '.join(dup)}")
    return dict(pairs)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    v = validator(argv[1])
    files = argv[2:] or ["-"]
    lines = bad = 0
    for fn in files:
        f = sys.stdin if fn == "-" else open(fn, encoding="utf-8")
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            lines += 1
            try:
                errs = sorted(v.iter_errors(json.loads(line, object_pairs_hook=no_duplicates)),
                              key=lambda e: e.path)
            except ValueError as e:  # json.JSONDecodeError is one
                errs = [e]
            if errs:
                bad += 1
                if bad <= 10:
                    print(f"FAIL {fn}:{n}: {errs[0]}"[:400])
    print(f"{argv[1]}: {lines} records, {bad} invalid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
