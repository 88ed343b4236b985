# Sourced by the bench scripts that run a main class from the test tree (…Bench.java): moves to the
# repository root, picks JDK 25, brings the test build up to date and sets TEST_CP (classes, test
# classes and every dependency) for `java -cp "$TEST_CP" CLASS`.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
mvn -q -o test-compile
TEST_CP=target/test-classes:target/classes:$(mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
