# syntax=docker/dockerfile:1
# Build: docker build -t logs-distributor:0.1.0 .
# Run:   docker run -p 8080:8080 -v "$PWD/analyzers.yaml:/app/analyzers.yaml:ro" logs-distributor:0.1.0
#
# Three stages: build (Maven on Java 17, the jar's target), training (the runtime's JVM runs the jar once
# under load with the demo analyzers and the load generator, and writes its ahead-of-time cache), runtime
# (the jar, the cache and the entrypoint). Nothing is downloaded after the build stage, and the cache is
# made here, never committed. Why Java 25 and the cache: BENCHMARKS.md, "Warm-up".

# the training and the runtime stage must run the same JVM build: the cache is only used by the JVM that made it
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# dependencies first, so a source change does not download them again
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

FROM ${RUNTIME_IMAGE} AS training
WORKDIR /app
# the same paths and flags as at run time: the cache is checked against the jar and the JVM's options
COPY --from=build /build/target/logs-distributor.jar /app/logs-distributor.jar
COPY jvm.options docker/aot.options /app/
COPY docker/train-aot.sh /app/train-aot.sh
RUN APP_DIR=/app TRAIN_PACKETS=200000 bash /app/train-aot.sh /app/logs-distributor.aot

FROM ${RUNTIME_IMAGE} AS runtime
# a fixed non-root uid, so Kubernetes' runAsNonRoot can check it without a user-name lookup
RUN groupadd --system --gid 10001 distributor \
 && useradd --system --uid 10001 --gid distributor --home-dir /app --shell /usr/sbin/nologin distributor
WORKDIR /app
# the jar from the training stage, not the build stage: the cache records the jar's size and modification time
COPY --from=training /app/logs-distributor.jar /app/logs-distributor.jar
COPY --from=training /app/logs-distributor.aot /app/logs-distributor.aot
COPY jvm.options analyzers.yaml docker/aot.options /app/
COPY --chmod=0755 docker/entrypoint.sh /app/entrypoint.sh
# the dead-letter store (distributor.data-dir); mount a volume here to keep dead letters across restarts
RUN mkdir -p /var/lib/logs-distributor && chown distributor:distributor /var/lib/logs-distributor
ENV DISTRIBUTOR_DATA_DIR=/var/lib/logs-distributor \
    ANALYZERS_FILE=/app/analyzers.yaml \
    HTTP_PORT=8080
USER 10001:10001
EXPOSE 8080
VOLUME ["/var/lib/logs-distributor"]
ENTRYPOINT ["/app/entrypoint.sh"]
