#!/usr/bin/env python3
"""Vendors Kubernetes' generated.proto files and derives json-hints.txt from the Go types beside them.

Usage: update.py API_DIR APIMACHINERY_DIR
  API_DIR           a checkout of k8s.io/api at the tag in VERSION below (git archive v0.32.13 | tar -x)
  APIMACHINERY_DIR  a checkout of k8s.io/apimachinery at the same tag

Writes, next to this script:
  k8s.io/.../generated.proto  each package's schema, doc comments stripped, license header kept
  json-hints.txt              what the .proto cannot say about a field's JSON form (read from the Go struct tags):
                                inline     the field's message is embedded in its parent (json:",inline")
                                json=NAME  the JSON name differs from the proto field name
                                zero       a zero value is still written: a scalar that is a pointer or has no
                                           omitempty, a message that is a pointer (a Go struct value left empty
                                           is the same as an absent one, so the decoder drops it)
                                array      the message is a Go slice type ({items}); its JSON is the array
See README.md for why the schema is read at startup rather than compiled into C#.
"""
import os
import re
import sys

VERSION = "v0.32.13"  # k8s.io/api and k8s.io/apimachinery tag (Kubernetes 1.32.13)

API_PACKAGES = [
    "core/v1", "apps/v1", "rbac/v1", "authentication/v1", "authorization/v1", "coordination/v1", "batch/v1",
    "networking/v1", "autoscaling/v1", "autoscaling/v2", "policy/v1",
]
MACHINERY_PACKAGES = [
    "pkg/apis/meta/v1", "pkg/runtime", "pkg/runtime/schema", "pkg/util/intstr", "pkg/api/resource",
]
# Decoded by code of their own (their Go types marshal JSON themselves).
SPECIAL = {"k8s.io.apimachinery.pkg.apis.meta.v1." + m for m in ("Time", "MicroTime", "Duration", "FieldsV1")} | {
    "k8s.io.apimachinery.pkg.runtime.RawExtension", "k8s.io.apimachinery.pkg.runtime.Unknown",
    "k8s.io.apimachinery.pkg.util.intstr.IntOrString", "k8s.io.apimachinery.pkg.api.resource.Quantity",
    "k8s.io.apimachinery.pkg.api.resource.QuantityValue"}
SCALARS = {"double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64",
           "sfixed32", "sfixed64", "bool", "string", "bytes"}

HERE = os.path.dirname(os.path.abspath(__file__))


def strip_comments(text):
    """The license block stays; // comments and the blank lines they leave go."""
    out, blank = [], False
    for line in text.splitlines():
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            if not blank:
                out.append("")
            blank = True
            continue
        blank = False
        out.append(line.rstrip())
    return "\n".join(out).strip() + "\n"


def proto_fields(text):
    """{message: {number: (label, type, name)}} from a generated.proto (flat messages, as go-to-protobuf writes)."""
    messages, current = {}, None
    for line in text.splitlines():
        m = re.match(r"^message (\w+) \{", line)
        if m:
            current = messages.setdefault(m.group(1), {})
            continue
        if line.startswith("}"):
            current = None
            continue
        f = re.match(r"^\s+(optional|repeated) ([\w.]+) (\w+) = (\d+);", line)
        if f and current is not None:
            current[int(f.group(4))] = (f.group(1), f.group(2), f.group(3))
        f = re.match(r"^\s+map<[\w.]+, ?[\w.]+> (\w+) = (\d+);", line)
        if f and current is not None:
            current[int(f.group(2))] = ("map", "", f.group(1))
    return messages


def go_structs(directory):
    """{struct: {protobuf number: (go type, json tag)}} and the names of slice types, from a Go package's sources."""
    structs, slices = {}, set()
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".go") or name.endswith("_test.go"):
            continue
        src = open(os.path.join(directory, name), encoding="utf-8").read()
        for m in re.finditer(r"^type (\w+) \[\]\w+\s*$", src, re.M):
            slices.add(m.group(1))
        for m in re.finditer(r"^type (\w+) struct \{\n(.*?)^\}", src, re.M | re.S):
            fields = structs.setdefault(m.group(1), {})
            for line in m.group(2).splitlines():
                f = re.match(r"^\s*(?:\w+\s+)?([*\[\]\w.]+)\s+`([^`]*)`", line)
                if not f:
                    continue
                pb = re.search(r'protobuf:"(\w+),(\d+),', f.group(2))
                js = re.search(r'json:"([^"]*)"', f.group(2))
                if pb:
                    fields[int(pb.group(2))] = (f.group(1), js.group(1) if js else "")
    return structs, slices


def hints(package, proto_text, go_dir):
    messages = proto_fields(proto_text)
    structs, slices = go_structs(go_dir)
    lines = []
    for message, fields in messages.items():
        if f"{package}.{message}" in SPECIAL:
            continue
        if message in slices and [f[2] for f in fields.values()] == ["items"]:
            lines.append(f"{package}.{message} * array")
            continue
        go = structs.get(message, {})
        for number, (label, typ, name) in sorted(fields.items()):
            if number not in go:
                # A message whose Go type is not a struct here (core/v1 List) decodes field by field as the .proto says.
                print(f"note: {package}.{message}.{name} has no Go struct field; no hints", file=sys.stderr)
                continue
            go_type, json_tag = go[number]
            parts = json_tag.split(",")
            flags = []
            if parts[0] == "" or "inline" in parts[1:]:
                flags.append("inline")
            elif parts[0] != name:
                flags.append("json=" + parts[0])
            if label == "optional" and "inline" not in flags and (
                    go_type.startswith("*") or (typ in SCALARS and "omitempty" not in parts[1:])):
                flags.append("zero")
            lines.extend(f"{package}.{message} {name} {flag}" for flag in flags)
    return lines


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    api, machinery = sys.argv[1:]
    sources = [(os.path.join(api, p), "k8s.io/api/" + p) for p in API_PACKAGES] + \
              [(os.path.join(machinery, p), "k8s.io/apimachinery/" + p) for p in MACHINERY_PACKAGES]
    all_hints = []
    for directory, import_path in sources:
        text = open(os.path.join(directory, "generated.proto"), encoding="utf-8").read()
        package = re.search(r"^package ([\w.]+);", text, re.M).group(1)
        target = os.path.join(HERE, import_path, "generated.proto")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as out:
            out.write(strip_comments(text))
        all_hints.extend(hints(package, text, directory))
    with open(os.path.join(HERE, "json-hints.txt"), "w", encoding="utf-8") as out:
        out.write(f"# Generated by update.py from k8s.io/api and k8s.io/apimachinery {VERSION}; do not edit.\n")
        out.write("# message field flag: see update.py\n")
        out.write("\n".join(all_hints) + "\n")


if __name__ == "__main__":
    main()
