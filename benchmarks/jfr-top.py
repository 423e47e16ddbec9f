#!/usr/bin/env python3
"""Where a JFR recording's allocation (jdk.ObjectAllocationSample) or CPU (jdk.ExecutionSample) goes.

  jfr print --events jdk.ObjectAllocationSample --stack-depth 96 bench.jfr > alloc.txt
  benchmarks/jfr-top.py alloc.txt [thread-prefix ...]     # default threads: reactor-http, parallel

Prints, as % of the total weight (bytes, or samples for ExecutionSample), the methods whose frames
are on the stack (inclusive), the allocating frames (self) and the allocated classes.
"""
import re
import sys
from collections import Counter

UNITS = {"bytes": 1, "kB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}


def events(path):
    event = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if re.match(r"^jdk\.\w+ \{", line):
            event = {"frames": [], "weight": 1.0, "thread": "", "cls": ""}
        elif line == "}" and event is not None:
            yield event
            event = None
        elif event is not None:
            s = line.strip()
            if s.startswith("weight = "):
                value, unit = s[len("weight = "):].split(" ")
                event["weight"] = float(value.replace(",", "")) * UNITS[unit]
            elif s.startswith(("eventThread = ", "sampledThread = ")):
                event["thread"] = s.split('"')[1]
            elif s.startswith("objectClass = "):
                event["cls"] = s[len("objectClass = "):].split(" (")[0]
            elif line.startswith("    ") and not s.startswith("...") and s != "]":
                event["frames"].append(re.sub(r"\(.*", "", s))


def main():
    path = sys.argv[1]
    prefixes = tuple(sys.argv[2:]) or ("reactor-http", "parallel")
    total = 0.0
    inclusive, self_, classes = Counter(), Counter(), Counter()
    for e in events(path):
        if not e["thread"].startswith(prefixes) or not e["frames"]:
            continue
        total += e["weight"]
        self_[e["frames"][0]] += e["weight"]
        classes[e["cls"]] += e["weight"]
        for frame in set(e["frames"]):
            inclusive[frame] += e["weight"]
    print(f"total weight {total:,.0f} on threads {prefixes}")
    for title, counter, n in (("inclusive", inclusive, 400), ("self", self_, 40), ("class", classes, 25)):
        print(f"\n== {title}")
        for name, weight in counter.most_common(n):
            print(f"{100 * weight / total:6.1f}%  {name}")


if __name__ == "__main__":
    main()
