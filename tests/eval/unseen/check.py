# Checks the unseen material itself: every expected text occurs (folded) in some document of unseen/docs.
# It must not run or look at the assistant: it only reads tests/eval/unseen.
import os, re, sys, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))


def fold(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
    s = s.lower()
    # dates' leading zeros are ignored by the evaluation, so here too
    return re.sub(r"(?<![0-9])0([0-9])(?=/)", r"\1", s)


def main():
    docs = {}
    for name in sorted(os.listdir(os.path.join(HERE, "docs"))):
        with open(os.path.join(HERE, "docs", name), encoding="utf-8") as f:
            docs[name] = fold(f.read())
    bad = total = bare = 0
    for line in open(os.path.join(HERE, "questions.tsv"), encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        q, expected = line.split("\t")
        total += 1
        if fold(q) == q.lower():
            bare += 1
        if expected == "-":
            continue
        alts = [fold(a) for a in expected.split("|")]
        where = [n for n, t in docs.items() if any(a in t for a in alts)]
        if not where:
            bad += 1
            print("NOT FOUND:", expected)
    print(f"{total} questions, {bare} without diacritics, {len(docs)} documents")
    print(f"{total - bad} passed, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
