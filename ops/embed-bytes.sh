# Sourced by ops/embed-lua.sh, ops/embed-sql.sh and ops/embed-openapi.sh, which embed
# files in a generated C file.
# embed_bytes PREFIX FILE...: prints, for the i-th FILE (from 0), the array
# `static const char PREFIX_i[]` of its bytes followed by a NUL, so it is also a C string.
embed_bytes() {
  local prefix=$1 i=0 f
  shift
  for f in "$@"; do
    echo "static const char ${prefix}_$i[] = {"
    od -An -v -tx1 "$f" | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'
    echo "0x00};"
    i=$((i + 1))
  done
}
