"""The graph measurements.md loaded: the baseline every load figure of bench/run.py is set against.

Why: the issue's bulk-load target (1M documents < 45 s) was set from
docs/prior/measurements.md, where pyoxigraph's ``Store().bulk_load`` took 39.9 s for that
file's synthetic graph at 1M documents. This machine's speed varies from hour to hour (the
same load of ours took 39 s and 68 s on one afternoon), so bench/run.py loads this graph in
the same run, the baseline's way, and reports our load beside it.

The shape, as measurements.md describes it: N documents x 10 triples in the default graph
(type, symbol, docType, date, submittedTo, mandatedBy, title@en, language, agendaItem,
pageCount); 100 sessions; N/20 resolutions (adoptedAt, reaffirms chains of depth 5); N/200
decisions; 0.1 % of documents invalid on purpose. About 10.25 triples per document.

    python bench/baseline_corpus.py DOCS OUT.nt [SEED]
"""

from __future__ import annotations

import random
import sys

EX = "https://example.org/un/"
UN = "https://w3id.org/mandategraph/ontology#"
R = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"


def lines(docs: int, seed: int = 42):
    rnd = random.Random(seed)
    sessions = 100
    for s in range(sessions):
        yield f"<{EX}session/{s}> {R} <{UN}Session> .\n"
        yield f'<{EX}session/{s}> <{UN}number> "{s + 1}"^^<{XSD}integer> .\n'
    n_res = max(docs // 20, 1)
    for r in range(n_res):
        x = f"<{EX}res/{r}>"
        yield f"{x} {R} <{UN}Resolution> .\n"
        yield f'{x} <{UN}symbol> "A/RES/{r // 500 + 1}/{r % 500 + 1}" .\n'
        yield f"{x} <{UN}adoptedAt> <{EX}session/{r % sessions}> .\n"
        if r % 5:
            yield f"{x} <{UN}reaffirms> <{EX}res/{r - 1}> .\n"
    for d in range(max(docs // 200, 1)):
        x = f"<{EX}dec/{d}>"
        yield f"{x} {R} <{UN}Decision> .\n"
        yield f"{x} <{UN}adoptedAt> <{EX}session/{d % sessions}> .\n"
    types = ("Report", "Note", "DraftResolution", "ConferenceRoomPaper")
    for i in range(docs):
        x = f"<{EX}doc/{i}>"
        s = rnd.randrange(sessions)
        yield f"{x} {R} <{UN}Document> .\n"
        sym = f"A/{s + 1}/{i}" if i % 1000 != 13 else f"a/{s + 1}/{i}"  # 0.1 % invalid
        yield f'{x} <{UN}symbol> "{sym}" .\n'
        yield f"{x} <{UN}docType> <{UN}{types[rnd.randrange(4)]}> .\n"
        yield f'{x} <{UN}date> "{1946 + s}-{1 + rnd.randrange(12):02d}-{1 + rnd.randrange(28):02d}"^^<{XSD}date> .\n'
        yield f"{x} <{UN}submittedTo> <{EX}session/{s}> .\n"
        yield f"{x} <{UN}mandatedBy> <{EX}res/{rnd.randrange(n_res)}> .\n"
        yield f'{x} <{UN}title> "Report of the Secretary-General on item {i % 997}"@en .\n'
        yield f'{x} <{UN}language> "en" .\n'
        yield f"{x} <{UN}agendaItem> <{EX}session/{s}/item/{rnd.randrange(150)}> .\n"
        yield f'{x} <{UN}pageCount> "{1 + rnd.randrange(80)}"^^<{XSD}integer> .\n'


def write(path: str, docs: int, seed: int = 42) -> int:
    n = 0
    buf: list[str] = []
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as fh:
        for line in lines(docs, seed):
            buf.append(line)
            if len(buf) >= 50_000:
                fh.write("".join(buf))
                n += len(buf)
                buf.clear()
        fh.write("".join(buf))
    return n + len(buf)


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) not in (2, 3):
        sys.exit("usage: python bench/baseline_corpus.py DOCS OUT.nt [SEED]")
    print(write(args[1], int(args[0]), int(args[2]) if len(args) == 3 else 42))
