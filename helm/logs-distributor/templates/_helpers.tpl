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
{{- end }}

{{- define "logs-distributor.workloadKind" -}}
{{- ternary "StatefulSet" "Deployment" .Values.persistence.enabled }}
{{- end }}
