#!/bin/bash
# Every NAME_FILE=path in the environment becomes NAME=<the file's content> (Docker's convention for secrets): the
# compose file hands the role tokens its bootstrap service issued to the services this way, never in .env.
while IFS='=' read -r name value; do
  if [[ ! -r "$value" ]]; then echo "entrypoint: $name names $value, which cannot be read" >&2; exit 1; fi
  export "${name%_FILE}=$(<"$value")"
  unset "$name"
done < <(env | grep -E '^[A-Za-z][A-Za-z0-9_]*_FILE=' || true)
exec dotnet "/app/$ASSEMBLY.dll" "$@"
