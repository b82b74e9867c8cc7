"""Renders a kustomization the way `kubectl kustomize` does, for the subset of kustomize
that k8s/ uses, so `make test` can check the manifests on a machine with no kubectl
(CI installs Debian packages only, and Debian packages no kustomize).

The subset, and nothing else (any other field is refused, so a manifest that starts
using more fails here rather than being checked wrongly):
  resources           YAML files (several documents each) and folders holding a
                      kustomization.yaml, rendered first, in order
  configMapGenerator  name, files (the key is the file's name), options.labels; only
                      with generatorOptions.disableNameSuffixHash: true
  patches             `path:` to a strategic merge patch, one or several documents, each
                      applied to the object of the same kind and name: maps merge,
                      lists of maps with a `name` merge by name, other lists are replaced
  namespace           set on every namespaced object
  labels              pairs, onto metadata.labels (and pod templates with
                      includeTemplates); selectors are never touched
  images              name -> newName and/or newTag, on every container and init container

Run as a program it prints the rendered YAML: python3 tests/repo/kustomize_lite.py DIR
"""
import copy
import os
import sys

import yaml

KNOWN_FIELDS = {"apiVersion", "kind", "resources", "configMapGenerator", "generatorOptions",
                "patches", "namespace", "labels", "images"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
                  "PersistentVolume", "StorageClass", "PriorityClass"}
POD_TEMPLATE_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}


class KustomizeError(Exception):
    pass


def load_documents(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def render(folder):
    """The objects the kustomization in folder produces, in kubectl's order."""
    path = os.path.join(folder, "kustomization.yaml")
    if not os.path.isfile(path):
        raise KustomizeError(f"{folder}: no kustomization.yaml")
    with open(path, encoding="utf-8") as f:
        k = yaml.safe_load(f) or {}
    unknown = set(k) - KNOWN_FIELDS
    if unknown:
        raise KustomizeError(f"{path}: fields this renderer does not handle: {sorted(unknown)}")
    objects = []
    for res in k.get("resources", []):
        full = os.path.normpath(os.path.join(folder, res))
        objects += render(full) if os.path.isdir(full) else load_documents(full)
    objects += generate_config_maps(folder, k)
    for patch in k.get("patches", []):
        if set(patch) != {"path"}:
            raise KustomizeError(f"{path}: only `patches: - path: FILE` is handled, not {patch}")
        for doc in load_documents(os.path.join(folder, patch["path"])):
            apply_patch(objects, doc, patch["path"])
    if "namespace" in k:
        for obj in objects:
            if obj["kind"] not in CLUSTER_SCOPED:
                obj.setdefault("metadata", {})["namespace"] = k["namespace"]
    for entry in k.get("labels", []):
        add_labels(objects, entry)
    for image in k.get("images", []):
        for obj in objects:
            for c in containers(obj):
                c["image"] = retag(c.get("image", ""), image)
    return objects


def generate_config_maps(folder, k):
    gens = k.get("configMapGenerator", [])
    if gens and not k.get("generatorOptions", {}).get("disableNameSuffixHash"):
        raise KustomizeError(f"{folder}: configMapGenerator needs disableNameSuffixHash: true here")
    out = []
    for g in gens:
        if set(g) - {"name", "files", "options"} or set(g.get("options", {})) - {"labels"}:
            raise KustomizeError(f"{folder}: configMapGenerator {g.get('name')}: unhandled fields")
        data = {}
        for f in g.get("files", []):
            with open(os.path.join(folder, f), encoding="utf-8") as fh:
                data[os.path.basename(f)] = fh.read()
        meta = {"name": g["name"]}
        if g.get("options", {}).get("labels"):
            meta["labels"] = dict(g["options"]["labels"])
        out.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data})
    return out


def apply_patch(objects, patch, where):
    kind, name = patch.get("kind"), patch.get("metadata", {}).get("name")
    targets = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    if len(targets) != 1:
        raise KustomizeError(f"{where}: patch for {kind}/{name} matches {len(targets)} objects")
    merged = strategic_merge(targets[0], patch)
    targets[0].clear()
    targets[0].update(merged)


def strategic_merge(base, patch):
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for key, value in patch.items():
            out[key] = strategic_merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    if (isinstance(base, list) and isinstance(patch, list) and patch
            and all(isinstance(x, dict) and "name" in x for x in base + patch)):
        out = [dict(x) for x in base]
        for item in patch:
            same = [i for i, x in enumerate(out) if x["name"] == item["name"]]
            if same:
                out[same[0]] = strategic_merge(out[same[0]], item)
            else:
                out.append(copy.deepcopy(item))
        return out
    return copy.deepcopy(patch)


def add_labels(objects, entry):
    if set(entry) - {"pairs", "includeSelectors", "includeTemplates"} or entry.get("includeSelectors"):
        raise KustomizeError(f"labels entry {entry}: only pairs and includeTemplates are handled")
    for obj in objects:
        obj.setdefault("metadata", {}).setdefault("labels", {}).update(entry["pairs"])
        template = pod_template(obj)
        if entry.get("includeTemplates") and template is not None:
            template.setdefault("metadata", {}).setdefault("labels", {}).update(entry["pairs"])


def pod_template(obj):
    if obj.get("kind") in POD_TEMPLATE_KINDS:
        return obj.get("spec", {}).get("template")
    if obj.get("kind") == "CronJob":
        return obj.get("spec", {}).get("jobTemplate", {}).get("spec", {}).get("template")
    return None


def pod_spec(obj):
    template = pod_template(obj)
    if template is not None:
        return template.get("spec", {})
    return obj.get("spec", {}) if obj.get("kind") == "Pod" else None


def containers(obj):
    spec = pod_spec(obj)
    if spec is None:
        return []
    return list(spec.get("initContainers", [])) + list(spec.get("containers", []))


def split_image(image):
    """"repo/name:tag" -> ("repo/name", "tag"); the tag is None when there is none
    (a registry's port is not a tag); a digest stays in the name."""
    if "@" in image:
        return image, None
    slash = image.rfind("/")
    colon = image.rfind(":")
    if colon > slash:
        return image[:colon], image[colon + 1:]
    return image, None


def retag(image, rule):
    name, tag = split_image(image)
    if name != rule["name"]:
        return image
    name = rule.get("newName", name)
    tag = str(rule["newTag"]) if "newTag" in rule else tag
    return f"{name}:{tag}" if tag else name


def main(argv):
    if len(argv) != 2:
        print("usage: kustomize_lite.py FOLDER", file=sys.stderr)
        return 2
    print(yaml.safe_dump_all(render(argv[1]), sort_keys=True), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
