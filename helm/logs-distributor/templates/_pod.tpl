{{/*
The pod template of the workload: a Deployment with an emptyDir data volume, or a StatefulSet whose
volumeClaimTemplate provides the data volume (persistence.enabled).
*/}}
{{- define "logs-distributor.podTemplate" -}}
{{- $fullname := include "logs-distributor.fullname" . -}}
{{- $tls := .Values.security.tls -}}
metadata:
  annotations:
    # the JVM reads its flags and Camel its routes only at start: a change rolls the pods
    checksum/jvm-options: {{ include "logs-distributor.jvmOptions" . | sha256sum }}
    {{- if .Values.routes.files }}
    checksum/routes: {{ include (print .Template.BasePath "/routes-configmap.yaml") . | sha256sum }}
    {{- end }}
    {{- if .Values.analyzersReload.rollPods }}
    # the app re-reads analyzers.yaml in place; analyzersReload.rollPods restarts the pods on a change too
    checksum/analyzers: {{ include "logs-distributor.analyzersYaml" . | sha256sum }}
    {{- end }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  labels:
    {{- include "logs-distributor.labels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "logs-distributor.serviceAccountName" . }}
  automountServiceAccountToken: false
  # service links would inject *_PORT variables, and Camel's env handling is sensitive to those
  enableServiceLinks: false
  terminationGracePeriodSeconds: {{ include "logs-distributor.terminationGracePeriodSeconds" . }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  containers:
    - name: logs-distributor
      image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      ports:
        - name: http
          containerPort: {{ .Values.containerPort }}
          protocol: TCP
      env:
        - name: HTTP_PORT
          value: {{ .Values.containerPort | quote }}
        - name: ANALYZERS_FILE
          value: /etc/logs-distributor/analyzers/analyzers.yaml
        # the dead letters, and with a queue on disk its journal (<data dir>/queue), live on the data volume
        - name: DISTRIBUTOR_DATA_DIR
          value: {{ .Values.persistence.mountPath | quote }}
        - name: DISTRIBUTOR_SHUTDOWN_TIMEOUT_S
          value: {{ .Values.shutdown.drainTimeoutSeconds | quote }}
        {{- if include "logs-distributor.routesEnabled" . }}
        - name: CAMEL_MAIN_ROUTESINCLUDEPATTERN
          value: {{ ternary "classpath:routes/*.yaml,file:/etc/logs-distributor/routes/*.yaml" "file:/etc/logs-distributor/routes/*.yaml" (eq .Values.routes.mode "add") | quote }}
        {{- end }}
        {{- if .Values.security.apiKeys.enabled }}
        - name: API_KEYS_FILE
          value: /etc/logs-distributor/api-keys/{{ .Values.security.apiKeys.key }}
        {{- end }}
        {{- if $tls.enabled }}
        - name: TLS_CERT_FILE
          value: /etc/logs-distributor/tls/{{ $tls.certKey }}
        - name: TLS_KEY_FILE
          value: /etc/logs-distributor/tls/{{ $tls.keyKey }}
        {{- if $tls.clientCA.enabled }}
        - name: TLS_CLIENT_CA_FILE
          value: /etc/logs-distributor/client-ca/{{ $tls.clientCA.key }}
        {{- end }}
        {{- end }}
        {{- with .Values.security.analyzerTls }}
        {{- if .enabled }}
        - name: ANALYZER_TLS_CA_FILE
          value: /etc/logs-distributor/analyzer-tls/{{ .caKey }}
        {{- if .certKey }}
        - name: ANALYZER_TLS_CERT_FILE
          value: /etc/logs-distributor/analyzer-tls/{{ .certKey }}
        - name: ANALYZER_TLS_KEY_FILE
          value: /etc/logs-distributor/analyzer-tls/{{ required "security.analyzerTls.keyKey is required with certKey" .keyKey }}
        {{- end }}
        {{- end }}
        {{- end }}
        {{- with .Values.kafka }}
        {{- if .enabled }}
        - name: DISTRIBUTOR_QUEUE_STORE
          value: kafka
        - name: DISTRIBUTOR_KAFKA_BOOTSTRAP_SERVERS
          value: {{ .bootstrapServers | quote }}
        - name: DISTRIBUTOR_KAFKA_TOPIC
          value: {{ .topic | quote }}
        - name: DISTRIBUTOR_KAFKA_CONSUMER_GROUP
          value: {{ .consumerGroup | quote }}
        - name: DISTRIBUTOR_KAFKA_PARTITIONS
          value: {{ include "logs-distributor.envValue" .partitions }}
        - name: DISTRIBUTOR_KAFKA_REPLICATION_FACTOR
          value: {{ include "logs-distributor.envValue" .replicationFactor }}
        - name: DISTRIBUTOR_KAFKA_SEND_TIMEOUT_MS
          value: {{ include "logs-distributor.envValue" .sendTimeoutMs }}
        {{- range $option, $value := .options }}
        - name: CAMEL_COMPONENT_KAFKA_{{ upper $option }}
          value: {{ include "logs-distributor.envValue" $value }}
        {{- end }}
        {{- range $option, $key := .credentials.keys }}
        - name: CAMEL_COMPONENT_KAFKA_{{ upper $option }}
          valueFrom:
            secretKeyRef:
              name: {{ $.Values.kafka.credentials.existingSecret }}
              key: {{ $key | quote }}
        {{- end }}
        {{- end }}
        {{- end }}
        {{- range $key, $value := .Values.settings }}
        {{- /* kafka.enabled has set the store already (checkValues refuses any other) */}}
        {{- if not (and $.Values.kafka.enabled (eq $key "queue.store")) }}
        - name: {{ printf "distributor.%s" $key | upper | replace "." "_" | replace "-" "_" }}
          value: {{ include "logs-distributor.envValue" $value }}
        {{- end }}
        {{- end }}
        {{- with .Values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      startupProbe:
        {{- include "logs-distributor.probe" (list . .Values.probes.startup) | trim | nindent 8 }}
      livenessProbe:
        {{- include "logs-distributor.probe" (list . .Values.probes.liveness) | trim | nindent 8 }}
      readinessProbe:
        {{- include "logs-distributor.probe" (list . .Values.probes.readiness) | trim | nindent 8 }}
      lifecycle:
        preStop:
          # keep serving while endpoints and ingress controllers stop routing to this pod; the
          # JVM's drain (DISTRIBUTOR_SHUTDOWN_TIMEOUT_S) starts with the SIGTERM that follows
          exec:
            command: ["sleep", "{{ .Values.shutdown.preStopSleepSeconds }}"]
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      volumeMounts:
        # a directory mount, not subPath: the kubelet then swaps in a changed ConfigMap, and the app
        # re-reads the file in place (distributor.analyzers.reload-interval-ms)
        - name: analyzers
          mountPath: /etc/logs-distributor/analyzers
          readOnly: true
        - name: jvm
          mountPath: /etc/logs-distributor/jvm
          readOnly: true
        - name: data
          mountPath: {{ .Values.persistence.mountPath }}
        - name: tmp
          mountPath: /tmp
        {{- if include "logs-distributor.routesEnabled" . }}
        - name: routes
          mountPath: /etc/logs-distributor/routes
          readOnly: true
        {{- end }}
        {{- if .Values.security.apiKeys.enabled }}
        # a directory mount, not subPath: the app re-reads the keys file when the Secret changes
        - name: api-keys
          mountPath: /etc/logs-distributor/api-keys
          readOnly: true
        {{- end }}
        {{- if $tls.enabled }}
        - name: tls
          mountPath: /etc/logs-distributor/tls
          readOnly: true
        {{- if $tls.clientCA.enabled }}
        - name: client-ca
          mountPath: /etc/logs-distributor/client-ca
          readOnly: true
        {{- end }}
        {{- end }}
        {{- if .Values.security.analyzerTls.enabled }}
        - name: analyzer-tls
          mountPath: /etc/logs-distributor/analyzer-tls
          readOnly: true
        {{- end }}
        {{- if and .Values.kafka.enabled .Values.kafka.tlsSecret }}
        - name: kafka-tls
          mountPath: /etc/logs-distributor/kafka-tls
          readOnly: true
        {{- end }}
  volumes:
    - name: analyzers
      configMap:
        name: {{ default (printf "%s-config" $fullname) .Values.existingAnalyzersConfigMap.name }}
        items:
          - key: {{ ternary .Values.existingAnalyzersConfigMap.key "analyzers.yaml" (not (empty .Values.existingAnalyzersConfigMap.name)) }}
            path: analyzers.yaml
    - name: jvm
      configMap:
        name: {{ $fullname }}-config
        items:
          - key: jvm.options
            path: jvm.options
    {{- if not .Values.persistence.enabled }}
    # kept across container restarts (OOM-kill, crash), deleted with the pod; with persistence.enabled
    # the StatefulSet's volumeClaimTemplate provides this volume instead
    - name: data
      emptyDir:
        {{- with .Values.persistence.emptyDir.sizeLimit }}
        sizeLimit: {{ . }}
        {{- end }}
    {{- end }}
    # Vert.x and the JVM write temporary files; the root filesystem is read-only
    - name: tmp
      emptyDir:
        sizeLimit: 256Mi
    {{- if include "logs-distributor.routesEnabled" . }}
    - name: routes
      configMap:
        name: {{ include "logs-distributor.routesConfigMap" . }}
    {{- end }}
    {{- if .Values.security.apiKeys.enabled }}
    - name: api-keys
      secret:
        secretName: {{ required "security.apiKeys.secretName is required when security.apiKeys.enabled" .Values.security.apiKeys.secretName }}
    {{- end }}
    {{- if $tls.enabled }}
    - name: tls
      secret:
        secretName: {{ required "security.tls.secretName is required when security.tls.enabled" $tls.secretName }}
    {{- if $tls.clientCA.enabled }}
    - name: client-ca
      secret:
        secretName: {{ default $tls.secretName $tls.clientCA.secretName }}
    {{- end }}
    {{- end }}
    {{- if .Values.security.analyzerTls.enabled }}
    - name: analyzer-tls
      secret:
        secretName: {{ required "security.analyzerTls.secretName is required when security.analyzerTls.enabled" .Values.security.analyzerTls.secretName }}
    {{- end }}
    {{- if and .Values.kafka.enabled .Values.kafka.tlsSecret }}
    - name: kafka-tls
      secret:
        secretName: {{ .Values.kafka.tlsSecret }}
    {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
