# syntax=docker/dockerfile:1
# Every StopPlane service's image: its Spring Boot layered jar on a JRE, run as a non-root user. One file for the four
# services; docker-compose.yml builds each with its own arguments:
#   MODULE     the Maven module (api-service, dispatcher, agent-gateway, agent-consumer)
#   PORT       the port it listens on (EXPOSE)
#   STATE_DIR  a directory the service writes (a volume in compose; the service user's home); /app when it writes none
#   PACKAGES   Debian packages it needs beyond the JRE (the agent: procps, for kill(1) on process groups)
# Build context: the module's directory, with the jar already built by Maven (`mvn -B -DskipTests package` at the root);
# the module's .dockerignore sends only target/*.jar.

FROM eclipse-temurin:17-jre AS layers
ARG MODULE
WORKDIR /build
COPY target/${MODULE}-*.jar app.jar
# Boot 4 tools jar mode: one directory per layer (dependencies, spring-boot-loader, snapshot-dependencies, application),
# so that a code change rebuilds only the thin application layer.
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre
ARG PACKAGES=""
ARG STATE_DIR=/app
RUN if [ -n "$PACKAGES" ]; then \
      apt-get update && apt-get install -y --no-install-recommends $PACKAGES && rm -rf /var/lib/apt/lists/*; \
    fi \
 && groupadd --system --gid 10001 stopplane \
 && useradd --system --uid 10001 --gid stopplane --home-dir "$STATE_DIR" --no-create-home --shell /usr/sbin/nologin stopplane \
 && if [ "$STATE_DIR" != /app ]; then mkdir -p "$STATE_DIR" && chown 10001:10001 "$STATE_DIR"; fi
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
USER 10001:10001
ARG PORT
EXPOSE ${PORT}
# JAVA_OPTS: JVM flags; the heap follows the container's memory limit.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["/bin/sh", "-c", "exec java $JAVA_OPTS org.springframework.boot.loader.launch.JarLauncher \"$@\"", "--"]
