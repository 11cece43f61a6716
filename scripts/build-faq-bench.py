#!/usr/bin/env python3
"""Builds the FAQ retrieval benchmark (issue 14) from Debian packages, reproducibly.

Two FAQs give the questions: the Debian FAQ (package debian-faq) and the Python FAQ (package
python3.11-doc). Each FAQ entry's heading is the question and the text up to the next heading is its
answer passage. The FAQ pages are written as plain text with every heading removed, and every
question's text scrubbed from the rest of the corpus (the DocBook and Sphinx pages cross-reference
entries by their titles), so retrieval cannot match a question against its own heading.

Distractors pad the corpus to at least 5 MB with related documentation: Debian Reference, the Debian
Administrator's Handbook (en-US), and the Python library, tutorial and HOWTO pages.

Usage:
  scripts/build-faq-bench.py --debs DIR --out data/faq            # the committed part (answers, questions)
  scripts/build-faq-bench.py --debs DIR --out data/faq --distractors DIR2   # and the distractors

DIR holds the .deb files listed in data/faq/sources.json (fetch them with `apt-get download NAME=VERSION`);
each is checked against its recorded sha256 before use. Only the standard library is used.
"""

import argparse
import hashlib
import html
import html.parser
import io
import json
import lzma
import random
import re
import sys
import tarfile
from pathlib import Path

SEED = 14
MIN_QUESTION_CHARS = 12
MIN_ANSWER_CHARS = 40
# Distractor pages are added in a fixed order until the whole corpus holds this many characters.
CORPUS_TARGET_CHARS = 5_800_000

PACKAGES = {
    "debian-faq": "11.1",
    "python3.11-doc": "3.11.2-6+deb12u9",
    "debian-reference-en": "2.100",
    "debian-reference-common": "2.100",
    "debian-handbook": "11.20220922",
}

BLOCK = {"p", "div", "section", "pre", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "blockquote",
         "br", "h1", "h2", "h3", "h4", "h5", "h6", "title", "td", "th", "figure", "figcaption"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
SKIP_CLASSES = {"navheader", "navfooter", "toc", "list-of-tables", "list-of-examples", "list-of-figures",
                "sphinxsidebar", "related", "footer", "headerlink", "docs-navigation", "breadcrumbs"}


class Blocks(html.parser.HTMLParser):
    """HTML to a list of (kind, text) blocks; kind is 'h' for a heading, 'p' for text, 'pre' for preformatted."""

    def __init__(self, body_class=None):
        super().__init__(convert_charrefs=True)
        self.body_class = body_class  # only text inside an element of this class counts (Sphinx: "body")
        self.stack = []  # (tag, skipping, in_body)
        self.blocks = []
        self.buf = []
        self.kind = "p"
        self.pre = 0

    def _skipping(self):
        return bool(self.stack) and self.stack[-1][1]

    def _in_body(self):
        return self.body_class is None or (bool(self.stack) and self.stack[-1][2])

    def flush(self):
        text = "".join(self.buf)
        if self.kind != "pre":
            text = re.sub(r"\s+", " ", text).strip()
        else:
            text = text.strip("\n").rstrip()
        if text.strip():
            self.blocks.append((self.kind, text))
        self.buf = []
        self.kind = "p"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        skip = self._skipping() or tag in {"script", "style", "head"} or bool(classes & SKIP_CLASSES)
        in_body = self._in_body() or (self.body_class is not None and self.body_class in classes)
        if tag in BLOCK and not skip and in_body:
            self.flush()
            if tag in HEADINGS:
                self.kind = "h"
            elif tag == "pre":
                self.kind = "pre"
                self.pre += 1
        if tag not in VOID:
            self.stack.append((tag, skip, in_body))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        # pop to the matching tag (tolerates unclosed <p> and the like)
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                was_skip, was_in = self.stack[i][1], self.stack[i][2]
                del self.stack[i:]
                if tag in BLOCK and not was_skip and was_in:
                    self.flush()
                    if tag == "pre":
                        self.pre -= 1
                return

    def handle_data(self, data):
        if not self._skipping() and self._in_body():
            self.buf.append(data)

    def close(self):
        super().close()
        self.flush()
        return self.blocks


def blocks_of(raw, body_class):
    p = Blocks(body_class)
    p.feed(raw.decode("utf-8"))
    return p.close()


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def deb_members(deb):
    """The files of a .deb's data archive: {path: bytes}. Reads the ar container directly."""
    data = deb.read_bytes()
    assert data[:8] == b"!<arch>\n", f"{deb} is not a .deb"
    pos = 8
    while pos < len(data):
        name = data[pos:pos + 16].decode().strip().rstrip("/")
        size = int(data[pos + 48:pos + 58].decode().strip())
        body = data[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)
        if name.startswith("data.tar"):
            if name.endswith(".xz"):
                body = lzma.decompress(body)
            elif not name.endswith(".tar"):
                raise SystemExit(f"{deb}: unsupported {name}")
            out = {}
            with tarfile.open(fileobj=io.BytesIO(body)) as t:
                for m in t.getmembers():
                    if m.isfile():
                        out[m.name.lstrip("./")] = t.extractfile(m).read()
            return out
    raise SystemExit(f"{deb}: no data archive")


def strip_number(heading):
    return re.sub(r"^\s*(\d+\.)+\s*", "", heading).replace("\u00b6", "").strip()


def is_question(text):
    return "?" in text and len(text) >= MIN_QUESTION_CHARS


def scrub(text, questions):
    """Replaces every question's text (the longest first) so no heading survives as a cross-reference."""
    for q in questions:
        if q in text:
            text = text.replace(q, "[another FAQ entry]")
    return text


def render(blocks, questions, drop_headings):
    """Joins blocks into one text; returns (text, [(heading, start, end)]) with each heading's section span."""
    parts = []
    pos = 0
    sections = []
    current = None
    for kind, text in blocks:
        if kind == "h" and drop_headings:
            if current:
                sections.append((current[0], current[1], pos))
            current = (strip_number(text), pos)
            continue
        if kind == "h":
            text = strip_number(text)
        text = scrub(text, questions)
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(text)
        pos += len(text)
    if current:
        sections.append((current[0], current[1], pos))
    return "".join(parts) + "\n", sections


FAQS = [
    # (corpus prefix, package, path inside the package, pages, body class)
    ("debian-faq", "debian-faq", "usr/share/doc/debian/FAQ/", None, None),
    ("python-faq", "python3.11-doc", "usr/share/doc/python3.11/html/faq/", None, "body"),
]

DISTRACTORS = [
    ("debian-reference", "debian-reference-en", "usr/share/debian-reference/", None),
    ("debian-handbook", "debian-handbook", "usr/share/doc/debian-handbook/html/en-US/", None),
    ("python-docs/tutorial", "python3.11-doc", "usr/share/doc/python3.11/html/tutorial/", "body"),
    ("python-docs/howto", "python3.11-doc", "usr/share/doc/python3.11/html/howto/", "body"),
    ("python-docs/library", "python3.11-doc", "usr/share/doc/python3.11/html/library/", "body"),
]

LICENCES = {
    "debian-faq.copyright": ("debian-faq", "usr/share/doc/debian-faq/copyright"),
    "python3.11-doc.copyright": ("python3.11-doc", "usr/share/doc/python3.11-doc/copyright"),
    "debian-reference.copyright": ("debian-reference-common", "usr/share/doc/debian-reference-common/copyright"),
    "debian-handbook.copyright": ("debian-handbook", "usr/share/doc/debian-handbook/copyright"),
}


def pages(members, prefix):
    names = sorted(n for n in members if n.startswith(prefix) and n.endswith(".html") and "/" not in n[len(prefix):])
    return [n for n in names if not re.search(r"(^|/)(index|genindex|search)[^/]*\.html$", n[len(prefix):])]


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--debs", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path, help="data/faq: answers/, questions.jsonl, sources.json")
    ap.add_argument("--distractors", type=Path, help="where to write the distractor pages (not committed)")
    args = ap.parse_args()

    sources = []
    members = {}
    for pkg, version in PACKAGES.items():
        deb = args.debs / f"{pkg}_{version.replace(':', '%3a')}_all.deb"
        if not deb.exists():
            raise SystemExit(f"{deb} missing: run `apt-get download {pkg}={version}` in {args.debs}")
        digest = sha256(deb)
        sources.append({"package": pkg, "version": version, "file": deb.name, "sha256": digest})
        members[pkg] = deb_members(deb)
    recorded = args.out / "sources.json"
    if recorded.exists():
        want = {s["file"]: s["sha256"] for s in json.loads(recorded.read_text())["debs"]}
        for s in sources:
            if want.get(s["file"]) != s["sha256"]:
                raise SystemExit(f"{s['file']}: sha256 {s['sha256']} is not the recorded {want.get(s['file'])}")

    # pass 1: every question of both FAQs, so cross-references to any of them can be scrubbed everywhere
    faq_pages = []
    questions = set()
    for name, pkg, prefix, _, body in FAQS:
        for page in pages(members[pkg], prefix):
            blocks = blocks_of(members[pkg][page], body)
            faq_pages.append((name, page[len(prefix):-5].replace(".en", ""), blocks))
            questions.update(strip_number(t) for k, t in blocks if k == "h" and is_question(strip_number(t)))
    ordered = sorted(questions, key=lambda q: (-len(q), q))

    entries = []
    corpus_chars = 0
    answers = args.out / "answers"
    for name, page, blocks in faq_pages:
        text, sections = render(blocks, ordered, drop_headings=True)
        doc = f"{name}/{page}.txt"
        write(answers / doc, text)
        corpus_chars += len(text)
        for heading, start, end in sections:
            passage = text[start:end].strip()
            if is_question(heading) and len(passage) >= MIN_ANSWER_CHARS:
                start = start + (len(text[start:end]) - len(text[start:end].lstrip()))
                entries.append({"question": heading, "document": doc, "start": start, "end": start + len(passage)})
    seen = {}
    for e in entries:
        seen[e["question"]] = seen.get(e["question"], 0) + 1
    entries = [e for e in entries if seen[e["question"]] == 1]  # a question asked twice has no single answer
    order = list(range(len(entries)))
    random.Random(SEED).shuffle(order)
    for rank, i in enumerate(order):
        entries[i]["split"] = "dev" if rank < len(order) // 2 else "test"
    with open(args.out / "questions.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for i, e in enumerate(entries):
            f.write(json.dumps({"id": f"q{i:03d}", **e}, ensure_ascii=False) + "\n")

    licences = args.out / "LICENSES"
    for target, (pkg, path) in LICENCES.items():
        write(licences / target, members[pkg][path].decode("utf-8"))

    distractor_chars = 0
    if args.distractors:
        for name, pkg, prefix, body in DISTRACTORS:
            for page in pages(members[pkg], prefix):
                if corpus_chars + distractor_chars >= CORPUS_TARGET_CHARS:
                    break
                text, _ = render(blocks_of(members[pkg][page], body), ordered, drop_headings=False)
                write(args.distractors / name / (page[len(prefix):-5].replace(".en", "") + ".txt"), text)
                distractor_chars += len(text)

    with open(recorded, "w", encoding="utf-8", newline="\n") as f:
        json.dump({"seed": SEED, "debs": sources, "questions": len(entries), "answerChars": corpus_chars,
                   "corpusTargetChars": CORPUS_TARGET_CHARS}, f, indent=2)
        f.write("\n")
    print(f"{len(entries)} questions ({sum(e['split'] == 'dev' for e in entries)} dev), "
          f"{corpus_chars} answer-page chars, {distractor_chars} distractor chars", file=sys.stderr)


if __name__ == "__main__":
    main()
