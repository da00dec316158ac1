{{- define "logs-distributor.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "logs-distributor.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "logs-distributor.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "logs-distributor.selectorLabels" -}}
app.kubernetes.io/name: {{ include "logs-distributor.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "logs-distributor.labels" -}}
helm.sh/chart: {{ include "logs-distributor.chart" . }}
{{ include "logs-distributor.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "logs-distributor.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "logs-distributor.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* analyzers.yaml as the chart writes it: the operator's whole file, or the `analyzers` list. */}}
{{- define "logs-distributor.analyzersYaml" -}}
{{- if .Values.analyzersYaml }}
{{- .Values.analyzersYaml }}
{{- else if .Values.analyzers }}
{{- dict "analyzers" .Values.analyzers | toYaml }}
{{- else }}
{{- fail "analyzers is empty: list the analyzers, or set analyzersYaml or existingAnalyzersConfigMap.name" }}
{{- end }}
{{- end }}

{{/* jvm.options added after the image's own; later flags win. */}}
{{- define "logs-distributor.jvmOptions" -}}
# extra JVM flags from the chart's jvm.extraOptions, applied after the image's jvm.options
{{- range .Values.jvm.extraOptions }}
{{ . }}
{{- end }}
{{- end }}

{{- define "logs-distributor.routesEnabled" -}}
{{- if or .Values.routes.files .Values.routes.existingConfigMap }}true{{ end }}
{{- end }}

{{- define "logs-distributor.routesConfigMap" -}}
{{- default (printf "%s-routes" (include "logs-distributor.fullname" .)) .Values.routes.existingConfigMap }}
{{- end }}

{{/* The kubelet cannot present a client certificate, so under mutual TLS probes only check the port. */}}
{{- define "logs-distributor.probe" -}}
{{- $root := index . 0 }}
{{- $probe := index . 1 }}
{{- if and $root.Values.security.tls.enabled $root.Values.security.tls.clientCA.enabled }}
tcpSocket:
  port: http
{{- else }}
httpGet:
  path: {{ $probe.path }}
  port: http
  scheme: {{ ternary "HTTPS" "HTTP" $root.Values.security.tls.enabled }}
{{- end }}
periodSeconds: {{ $probe.periodSeconds }}
timeoutSeconds: {{ $probe.timeoutSeconds }}
failureThreshold: {{ $probe.failureThreshold }}
{{- end }}

{{- define "logs-distributor.terminationGracePeriodSeconds" -}}
{{- with .Values.shutdown }}
{{- add .preStopSleepSeconds .drainTimeoutSeconds .graceMarginSeconds }}
{{- end }}
{{- end }}

{{/* Values the chart no longer reads, or combinations it cannot honour: fail with what to do instead. */}}
{{- define "logs-distributor.checkValues" -}}
{{- with .Values.deadLetters }}
{{- fail (printf `deadLetters.* was replaced by persistence.* (chart 0.2.0), because the data directory now also holds the queue's journal:
  deadLetters.mountPath          -> persistence.mountPath
  deadLetters.emptyDir.sizeLimit -> persistence.emptyDir.sizeLimit
  deadLetters.persistence.*      -> persistence.enabled/storageClass/accessModes/size: a StatefulSet with one claim per pod
                                    instead of one shared claim (existingClaim has no equivalent)
A claim %s-dead-letters made by deadLetters.persistence stays (helm.sh/resource-policy: keep): copy out the dead letters you still need, then delete it.
With --reuse-values, pass --reset-then-reuse-values (Helm 3.14+) or your values file instead.` (include "logs-distributor.fullname" $)) }}
{{- end }}
{{- if and .Values.analyzersReload.rollPods .Values.existingAnalyzersConfigMap.name }}
{{- fail "analyzersReload.rollPods needs the chart's own analyzers file: the chart cannot see a change to existingAnalyzersConfigMap (the pods re-read it in place; to restart them anyway: kubectl rollout restart)" }}
{{- end }}
{{- include "logs-distributor.checkKafka" . }}
{{- end }}

{{/* A value as an env var's string: values files give every number as float64, which prints as 1e+06. */}}
{{- define "logs-distributor.envValue" -}}
{{- if and (kindIs "float64" .) (eq . (float64 (int64 .))) }}
{{- int64 . | toString | quote }}
{{- else }}
{{- toString . | quote }}
{{- end }}
{{- end }}

{{/*
kafka.* sets the queue store and the connection itself: refuse values that would set them a second way, and
secret options that would be readable by anyone who can read the pod spec.
*/}}
{{- define "logs-distributor.checkKafka" -}}
{{- $kafka := .Values.kafka }}
{{- $store := index .Values.settings "queue.store" | default "" }}
{{- if $kafka.enabled }}
{{- if not $kafka.bootstrapServers }}
{{- fail "kafka.bootstrapServers is required when kafka.enabled: the Kafka brokers as host:port[,host:port...], e.g. kafka-0.kafka:9092,kafka-1.kafka:9092" }}
{{- end }}
{{- if and $store (ne $store "kafka") }}
{{- fail (printf "kafka.enabled makes the Kafka topic the queue (distributor.queue.store=kafka), but settings.queue.store is %s: remove settings.queue.store, or set kafka.enabled=false to keep the %s queue" $store $store) }}
{{- end }}
{{- $options := $kafka.options | default dict }}
{{- $credentials := $kafka.credentials.keys | default dict }}
{{- if and $credentials (not $kafka.credentials.existingSecret) }}
{{- fail "kafka.credentials.existingSecret is required with kafka.credentials.keys: the name of the Secret holding those keys" }}
{{- end }}
{{- /* the options camel-kafka's catalog marks secret, upper-cased as in their env names */}}
{{- $secret := list "OAUTHCLIENTSECRET" "SASLJAASCONFIG" "SASLPASSWORD" "SSLKEYPASSWORD" "SSLKEYSTOREPASSWORD" "SSLTRUSTSTOREPASSWORD" }}
{{- range $option, $_ := $options }}
{{- if has (upper $option) $secret }}
{{- fail (printf "kafka.options.%s is a secret, which would be readable in the pod spec: put it in a Secret and set kafka.credentials.existingSecret and kafka.credentials.keys.%s to its key" $option $option) }}
{{- end }}
{{- end }}
{{- $chartOwned := dict "BROKERS" "kafka.bootstrapServers" "GROUPID" "kafka.consumerGroup" }}
{{- $seen := dict }}
{{- range $option := concat (keys $options) (keys $credentials) }}
{{- $name := upper $option }}
{{- if hasKey $chartOwned $name }}
{{- fail (printf "the Camel Kafka option %s is set from %s: remove it from kafka.options and kafka.credentials.keys" $option (get $chartOwned $name)) }}
{{- end }}
{{- if hasKey $seen $name }}
{{- fail (printf "the Camel Kafka option %s is given twice (in kafka.options and kafka.credentials.keys, or in two spellings), which would set CAMEL_COMPONENT_KAFKA_%s twice: keep one" $option $name) }}
{{- end }}
{{- $_ := set $seen $name true }}
{{- end }}
{{- else if eq $store "kafka" }}
{{- fail "settings.queue.store=kafka needs the brokers: set kafka.enabled=true and kafka.bootstrapServers instead (the chart then sets the store)" }}
{{- end }}
{{- end }}

{{- define "logs-distributor.workloadKind" -}}
{{- ternary "StatefulSet" "Deployment" .Values.persistence.enabled }}
{{- end }}
