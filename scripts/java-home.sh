# Sourced by .ci/run and ./parallelrag: exports JAVA_HOME pointing at a JDK >= 21.
# Preference: Temurin 25, then an existing JAVA_HOME, then any JDK >= 21 under /usr/lib/jvm.
_prag_java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}
_prag_pick_jdk() {
    local candidate
    for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 "${JAVA_HOME:-}" /usr/lib/jvm/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
        local major
        major=$(_prag_java_major "$candidate")
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}
if ! JAVA_HOME=$(_prag_pick_jdk); then
    echo "error: no JDK 21 or newer found (looked at /usr/lib/jvm/temurin-25-jdk-amd64, \$JAVA_HOME and /usr/lib/jvm/*)." >&2
    echo "fix: install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 25, or set JAVA_HOME." >&2
    exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
