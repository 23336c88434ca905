// Our own trimmed protobuf definitions of the Kubernetes types that kubectl sends as protobuf, with the field
// numbers of the real generated.proto files (test/sim/codec/proto-numbers.test.ts checks every field against the
// descriptors compiled into kubectl). Fields we do not list are skipped when decoding.
//
// Two options of ours steer the conversion to the JSON shape (protobuf.ts):
//   (keep)   a zero value on the wire is kept: the Go field is a pointer (*int32, *bool, *string) or its JSON tag
//            has no omitempty. Any other zero scalar is dropped, as Go's omitempty drops it.
//   (inline) the Go field is an embedded struct: its fields belong to the parent JSON object.

const runtime = `
package k8s.io.apimachinery.pkg.runtime;
message TypeMeta {
	optional string apiVersion = 1;
	optional string kind = 2;
}
message Unknown {
	optional TypeMeta typeMeta = 1;
	optional bytes raw = 2;
	optional string contentEncoding = 3;
	optional string contentType = 4;
}
message RawExtension {
	optional bytes raw = 1;
}
`;

const resource = `
package k8s.io.apimachinery.pkg.api.resource;
message Quantity {
	optional string string = 1;
}
`;

const intstr = `
package k8s.io.apimachinery.pkg.util.intstr;
message IntOrString {
	optional int64 type = 1;
	optional int32 intVal = 2;
	optional string strVal = 3;
}
`;

const meta = `
package k8s.io.apimachinery.pkg.apis.meta.v1;
message Time {
	optional int64 seconds = 1;
	optional int32 nanos = 2;
}
message MicroTime {
	optional int64 seconds = 1;
	optional int32 nanos = 2;
}
message ObjectMeta {
	optional string name = 1;
	optional string generateName = 2;
	optional string namespace = 3;
	optional string uid = 5;
	optional string resourceVersion = 6;
	optional int64 generation = 7;
	optional Time creationTimestamp = 8;
	optional Time deletionTimestamp = 9;
	optional int64 deletionGracePeriodSeconds = 10 [(keep) = true];
	map<string, string> labels = 11;
	map<string, string> annotations = 12;
	repeated OwnerReference ownerReferences = 13;
	repeated string finalizers = 14;
}
message OwnerReference {
	optional string apiVersion = 5 [(keep) = true];
	optional string kind = 1 [(keep) = true];
	optional string name = 3 [(keep) = true];
	optional string uid = 4 [(keep) = true];
	optional bool controller = 6 [(keep) = true];
	optional bool blockOwnerDeletion = 7 [(keep) = true];
}
message LabelSelector {
	map<string, string> matchLabels = 1;
	repeated LabelSelectorRequirement matchExpressions = 2;
}
message LabelSelectorRequirement {
	optional string key = 1 [(keep) = true];
	optional string operator = 2 [(keep) = true];
	repeated string values = 3;
}
message Preconditions {
	optional string uid = 1 [(keep) = true];
	optional string resourceVersion = 2 [(keep) = true];
}
message DeleteOptions {
	optional int64 gracePeriodSeconds = 1 [(keep) = true];
	optional Preconditions preconditions = 2;
	optional bool orphanDependents = 3 [(keep) = true];
	optional string propagationPolicy = 4 [(keep) = true];
	repeated string dryRun = 5;
}
`;

const autoscaling = `
package k8s.io.api.autoscaling.v1;
message Scale {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
	optional ScaleSpec spec = 2;
	optional ScaleStatus status = 3;
}
message ScaleSpec {
	optional int32 replicas = 1;
}
message ScaleStatus {
	optional int32 replicas = 1 [(keep) = true];
	optional string selector = 2;
}
`;

const apps = `
package k8s.io.api.apps.v1;
message Deployment {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
	optional DeploymentSpec spec = 2;
}
message DeploymentSpec {
	optional int32 replicas = 1 [(keep) = true];
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 2;
	optional .k8s.io.api.core.v1.PodTemplateSpec template = 3;
	optional DeploymentStrategy strategy = 4;
	optional int32 minReadySeconds = 5;
	optional int32 revisionHistoryLimit = 6 [(keep) = true];
	optional bool paused = 7;
	optional int32 progressDeadlineSeconds = 9 [(keep) = true];
}
message DeploymentStrategy {
	optional string type = 1;
	optional RollingUpdateDeployment rollingUpdate = 2;
}
message RollingUpdateDeployment {
	optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxUnavailable = 1;
	optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxSurge = 2;
}
message ReplicaSet {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
	optional ReplicaSetSpec spec = 2;
}
message ReplicaSetSpec {
	optional int32 replicas = 1 [(keep) = true];
	optional int32 minReadySeconds = 4;
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 2;
	optional .k8s.io.api.core.v1.PodTemplateSpec template = 3;
}
`;

const core = `
package k8s.io.api.core.v1;
message Namespace {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
	optional NamespaceSpec spec = 2;
}
message NamespaceSpec {
	repeated string finalizers = 1;
}
message Pod {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
	optional PodSpec spec = 2;
}
message PodTemplateSpec {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
	optional PodSpec spec = 2;
}
message PodSpec {
	repeated Volume volumes = 1;
	repeated Container initContainers = 20;
	repeated Container containers = 2;
	optional string restartPolicy = 3;
	optional int64 terminationGracePeriodSeconds = 4 [(keep) = true];
	optional int64 activeDeadlineSeconds = 5 [(keep) = true];
	optional string dnsPolicy = 6;
	map<string, string> nodeSelector = 7;
	optional string serviceAccountName = 8;
	optional string serviceAccount = 9;
	optional bool automountServiceAccountToken = 21 [(keep) = true];
	optional string nodeName = 10;
	optional bool hostNetwork = 11;
	optional bool hostPID = 12;
	optional bool hostIPC = 13;
	optional bool shareProcessNamespace = 27 [(keep) = true];
	optional PodSecurityContext securityContext = 14;
	repeated LocalObjectReference imagePullSecrets = 15;
	optional string hostname = 16;
	optional string subdomain = 17;
	optional string schedulerName = 19;
	repeated Toleration tolerations = 22;
	optional string priorityClassName = 24;
	optional int32 priority = 25 [(keep) = true];
	repeated PodReadinessGate readinessGates = 28;
	optional string runtimeClassName = 29 [(keep) = true];
	optional bool enableServiceLinks = 30 [(keep) = true];
	optional string preemptionPolicy = 31 [(keep) = true];
}
message PodReadinessGate {
	optional string conditionType = 1 [(keep) = true];
}
message PodSecurityContext {
	optional int64 runAsUser = 2 [(keep) = true];
	optional int64 runAsGroup = 6 [(keep) = true];
	optional bool runAsNonRoot = 3 [(keep) = true];
	repeated int64 supplementalGroups = 4;
	optional int64 fsGroup = 5 [(keep) = true];
}
message Toleration {
	optional string key = 1;
	optional string operator = 2;
	optional string value = 3;
	optional string effect = 4;
	optional int64 tolerationSeconds = 5 [(keep) = true];
}
message LocalObjectReference {
	optional string name = 1;
}
message Container {
	optional string name = 1 [(keep) = true];
	optional string image = 2;
	repeated string command = 3;
	repeated string args = 4;
	optional string workingDir = 5;
	repeated ContainerPort ports = 6;
	repeated EnvFromSource envFrom = 19;
	repeated EnvVar env = 7;
	optional ResourceRequirements resources = 8;
	optional string restartPolicy = 24 [(keep) = true];
	repeated VolumeMount volumeMounts = 9;
	optional Probe livenessProbe = 10;
	optional Probe readinessProbe = 11;
	optional Probe startupProbe = 22;
	optional Lifecycle lifecycle = 12;
	optional string terminationMessagePath = 13;
	optional string terminationMessagePolicy = 20;
	optional string imagePullPolicy = 14;
	optional SecurityContext securityContext = 15;
	optional bool stdin = 16;
	optional bool stdinOnce = 17;
	optional bool tty = 18;
}
message ContainerPort {
	optional string name = 1;
	optional int32 hostPort = 2;
	optional int32 containerPort = 3 [(keep) = true];
	optional string protocol = 4;
	optional string hostIP = 5;
}
message EnvVar {
	optional string name = 1 [(keep) = true];
	optional string value = 2;
	optional EnvVarSource valueFrom = 3;
}
message EnvVarSource {
	optional ObjectFieldSelector fieldRef = 1;
	optional ResourceFieldSelector resourceFieldRef = 2;
	optional ConfigMapKeySelector configMapKeyRef = 3;
	optional SecretKeySelector secretKeyRef = 4;
}
message ObjectFieldSelector {
	optional string apiVersion = 1;
	optional string fieldPath = 2 [(keep) = true];
}
message ResourceFieldSelector {
	optional string containerName = 1;
	optional string resource = 2 [(keep) = true];
	optional .k8s.io.apimachinery.pkg.api.resource.Quantity divisor = 3;
}
message ConfigMapKeySelector {
	optional LocalObjectReference localObjectReference = 1 [(inline) = true];
	optional string key = 2 [(keep) = true];
	optional bool optional = 3 [(keep) = true];
}
message SecretKeySelector {
	optional LocalObjectReference localObjectReference = 1 [(inline) = true];
	optional string key = 2 [(keep) = true];
	optional bool optional = 3 [(keep) = true];
}
message EnvFromSource {
	optional string prefix = 1;
	optional ConfigMapEnvSource configMapRef = 2;
	optional SecretEnvSource secretRef = 3;
}
message ConfigMapEnvSource {
	optional LocalObjectReference localObjectReference = 1 [(inline) = true];
	optional bool optional = 2 [(keep) = true];
}
message SecretEnvSource {
	optional LocalObjectReference localObjectReference = 1 [(inline) = true];
	optional bool optional = 2 [(keep) = true];
}
message ResourceRequirements {
	map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> limits = 1;
	map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> requests = 2;
	repeated ResourceClaim claims = 3;
}
message ResourceClaim {
	optional string name = 1 [(keep) = true];
	optional string request = 2;
}
message VolumeMount {
	optional string name = 1 [(keep) = true];
	optional bool readOnly = 2;
	optional string recursiveReadOnly = 7 [(keep) = true];
	optional string mountPath = 3 [(keep) = true];
	optional string subPath = 4;
	optional string mountPropagation = 5 [(keep) = true];
	optional string subPathExpr = 6;
}
message Volume {
	optional string name = 1 [(keep) = true];
	optional VolumeSource volumeSource = 2 [(inline) = true];
}
message VolumeSource {
	optional HostPathVolumeSource hostPath = 1;
	optional EmptyDirVolumeSource emptyDir = 2;
	optional SecretVolumeSource secret = 6;
	optional ConfigMapVolumeSource configMap = 19;
}
message HostPathVolumeSource {
	optional string path = 1 [(keep) = true];
	optional string type = 2 [(keep) = true];
}
message EmptyDirVolumeSource {
	optional string medium = 1;
	optional .k8s.io.apimachinery.pkg.api.resource.Quantity sizeLimit = 2;
}
message SecretVolumeSource {
	optional string secretName = 1;
	repeated KeyToPath items = 2;
	optional int32 defaultMode = 3 [(keep) = true];
	optional bool optional = 4 [(keep) = true];
}
message ConfigMapVolumeSource {
	optional LocalObjectReference localObjectReference = 1 [(inline) = true];
	repeated KeyToPath items = 2;
	optional int32 defaultMode = 3 [(keep) = true];
	optional bool optional = 4 [(keep) = true];
}
message KeyToPath {
	optional string key = 1 [(keep) = true];
	optional string path = 2 [(keep) = true];
	optional int32 mode = 3 [(keep) = true];
}
message Probe {
	optional ProbeHandler handler = 1 [(inline) = true];
	optional int32 initialDelaySeconds = 2;
	optional int32 timeoutSeconds = 3;
	optional int32 periodSeconds = 4;
	optional int32 successThreshold = 5;
	optional int32 failureThreshold = 6;
	optional int64 terminationGracePeriodSeconds = 7 [(keep) = true];
}
message ProbeHandler {
	optional ExecAction exec = 1;
	optional HTTPGetAction httpGet = 2;
	optional TCPSocketAction tcpSocket = 3;
	optional GRPCAction grpc = 4;
}
message ExecAction {
	repeated string command = 1;
}
message HTTPGetAction {
	optional string path = 1;
	optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString port = 2;
	optional string host = 3;
	optional string scheme = 4;
	repeated HTTPHeader httpHeaders = 5;
}
message HTTPHeader {
	optional string name = 1 [(keep) = true];
	optional string value = 2 [(keep) = true];
}
message TCPSocketAction {
	optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString port = 1;
	optional string host = 2;
}
message GRPCAction {
	optional int32 port = 1 [(keep) = true];
	optional string service = 2 [(keep) = true];
}
message Lifecycle {
	optional LifecycleHandler postStart = 1;
	optional LifecycleHandler preStop = 2;
}
message LifecycleHandler {
	optional ExecAction exec = 1;
	optional HTTPGetAction httpGet = 2;
	optional TCPSocketAction tcpSocket = 3;
	optional SleepAction sleep = 4;
}
message SleepAction {
	optional int64 seconds = 1 [(keep) = true];
}
message SecurityContext {
	optional Capabilities capabilities = 1;
	optional bool privileged = 2 [(keep) = true];
	optional int64 runAsUser = 4 [(keep) = true];
	optional int64 runAsGroup = 8 [(keep) = true];
	optional bool runAsNonRoot = 5 [(keep) = true];
	optional bool readOnlyRootFilesystem = 6 [(keep) = true];
	optional bool allowPrivilegeEscalation = 7 [(keep) = true];
}
message Capabilities {
	repeated string add = 1;
	repeated string drop = 2;
}
message Service {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
	optional ServiceSpec spec = 2;
}
message ServiceSpec {
	repeated ServicePort ports = 1;
	map<string, string> selector = 2;
	optional string clusterIP = 3;
	repeated string clusterIPs = 18;
	optional string type = 4;
	repeated string externalIPs = 5;
	optional string sessionAffinity = 7;
	optional string loadBalancerIP = 8;
	optional string externalName = 10;
	optional string externalTrafficPolicy = 11;
	optional int32 healthCheckNodePort = 12;
	optional bool publishNotReadyAddresses = 13;
	repeated string ipFamilies = 19;
	optional string ipFamilyPolicy = 17 [(keep) = true];
	optional bool allocateLoadBalancerNodePorts = 20 [(keep) = true];
	optional string internalTrafficPolicy = 22 [(keep) = true];
}
message ServicePort {
	optional string name = 1;
	optional string protocol = 2;
	optional string appProtocol = 6 [(keep) = true];
	optional int32 port = 3 [(keep) = true];
	optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString targetPort = 4;
	optional int32 nodePort = 5;
}
message Event {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
	optional ObjectReference involvedObject = 2;
	optional string reason = 3;
	optional string message = 4;
	optional EventSource source = 5;
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time firstTimestamp = 6;
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTimestamp = 7;
	optional int32 count = 8;
	optional string type = 9;
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime eventTime = 10;
	optional EventSeries series = 11;
	optional string action = 12;
	optional ObjectReference related = 13;
	optional string reportingComponent = 14 [(keep) = true];
	optional string reportingInstance = 15 [(keep) = true];
}
message ObjectReference {
	optional string kind = 1;
	optional string namespace = 2;
	optional string name = 3;
	optional string uid = 4;
	optional string apiVersion = 5;
	optional string resourceVersion = 6;
	optional string fieldPath = 7;
}
message EventSource {
	optional string component = 1;
	optional string host = 2;
}
message EventSeries {
	optional int32 count = 1;
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime lastObservedTime = 2;
}
`;

// The access-control types kubectl 1.32 sends as protobuf: kubectl create role/rolebinding, auth can-i, auth whoami.
const rbac = `
package k8s.io.api.rbac.v1;
message Role {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
	repeated PolicyRule rules = 2;
}
message ClusterRole {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
	repeated PolicyRule rules = 2;
	optional AggregationRule aggregationRule = 3;
}
message AggregationRule {
	repeated .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector clusterRoleSelectors = 1;
}
message PolicyRule {
	repeated string verbs = 1;
	repeated string apiGroups = 2;
	repeated string resources = 3;
	repeated string resourceNames = 4;
	repeated string nonResourceURLs = 5;
}
message RoleBinding {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
	repeated Subject subjects = 2;
	optional RoleRef roleRef = 3;
}
message ClusterRoleBinding {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
	repeated Subject subjects = 2;
	optional RoleRef roleRef = 3;
}
message Subject {
	optional string kind = 1 [(keep) = true];
	optional string apiGroup = 2;
	optional string name = 3 [(keep) = true];
	optional string namespace = 4;
}
message RoleRef {
	optional string apiGroup = 1 [(keep) = true];
	optional string kind = 2 [(keep) = true];
	optional string name = 3 [(keep) = true];
}
`;

// The policy types kubectl 1.32 sends as protobuf: kubectl create poddisruptionbudget.
const policy = `
package k8s.io.api.policy.v1;
message PodDisruptionBudget {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
	optional PodDisruptionBudgetSpec spec = 2;
}
message PodDisruptionBudgetSpec {
	optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString minAvailable = 1;
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 2;
	optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxUnavailable = 3;
	optional string unhealthyPodEvictionPolicy = 4;
}
`;

const authorization = `
package k8s.io.api.authorization.v1;
message SelfSubjectAccessReview {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
	optional SelfSubjectAccessReviewSpec spec = 2;
}
message SelfSubjectAccessReviewSpec {
	optional ResourceAttributes resourceAttributes = 1;
	optional NonResourceAttributes nonResourceAttributes = 2;
}
message ResourceAttributes {
	optional string namespace = 1;
	optional string verb = 2;
	optional string group = 3;
	optional string version = 4;
	optional string resource = 5;
	optional string subresource = 6;
	optional string name = 7;
}
message NonResourceAttributes {
	optional string path = 1;
	optional string verb = 2;
}
message SelfSubjectRulesReview {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
	optional SelfSubjectRulesReviewSpec spec = 2;
}
message SelfSubjectRulesReviewSpec {
	optional string namespace = 1;
}
`;

const authentication = `
package k8s.io.api.authentication.v1;
message SelfSubjectReview {
	optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
}
`;

/** One proto2 file per package, parsed into one root by protobuf.ts. */
export const kubeProtoFiles: readonly string[] = [
	runtime,
	resource,
	intstr,
	meta,
	autoscaling,
	apps,
	core,
	rbac,
	policy,
	authorization,
	authentication,
].map((body) => `syntax = "proto2";\n${body}`);
