# syntax=docker/dockerfile:1
# Build: docker build -t logs-distributor:0.1.0 .
# Run:   docker run -p 8080:8080 -v "$PWD/analyzers.yaml:/app/analyzers.yaml:ro" logs-distributor:0.1.0

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# dependencies first, so a source change does not download them again
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# a fixed non-root uid, so Kubernetes' runAsNonRoot can check it without a user-name lookup
RUN groupadd --system --gid 10001 distributor \
 && useradd --system --uid 10001 --gid distributor --home-dir /app --shell /usr/sbin/nologin distributor
WORKDIR /app
COPY --from=build /build/target/logs-distributor.jar /app/logs-distributor.jar
COPY jvm.options analyzers.yaml /app/
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
