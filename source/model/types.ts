// Minimal structural types for the Kubernetes objects the cockpit reasons about.
// Every field is optional: the cockpit reads plain API JSON (JSON.parse), so timestamps are RFC 3339 strings.

// A timestamp as served in JSON.
export type Timestamp = string;

// int32 or a percentage string such as "25%", as in intstr.IntOrString.
export type IntOrString = number | string;

export interface OwnerReference {
	apiVersion?: string;
	kind?: string;
	name?: string;
	uid?: string;
	controller?: boolean;
	blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
	name?: string;
	namespace?: string;
	uid?: string;
	generation?: number;
	resourceVersion?: string;
	creationTimestamp?: Timestamp | null;
	deletionTimestamp?: Timestamp | null;
	deletionGracePeriodSeconds?: number;
	labels?: Record<string, string> | null;
	annotations?: Record<string, string> | null;
	ownerReferences?: OwnerReference[] | null;
}

export interface ContainerStateWaiting {
	reason?: string;
	message?: string;
}

export interface ContainerStateRunning {
	startedAt?: Timestamp | null;
}

export interface ContainerStateTerminated {
	exitCode?: number;
	signal?: number;
	reason?: string;
	message?: string;
	startedAt?: Timestamp | null;
	finishedAt?: Timestamp | null;
	containerID?: string;
}

export interface ContainerState {
	waiting?: ContainerStateWaiting | null;
	running?: ContainerStateRunning | null;
	terminated?: ContainerStateTerminated | null;
}

export interface ContainerStatus {
	name?: string;
	ready?: boolean;
	started?: boolean;
	restartCount?: number;
	image?: string;
	imageID?: string;
	containerID?: string;
	state?: ContainerState | null;
	lastState?: ContainerState | null;
}

export interface PodCondition {
	type?: string;
	status?: string;
	reason?: string;
	message?: string;
	lastTransitionTime?: Timestamp | null;
}

export interface ContainerPort {
	name?: string;
	containerPort?: number;
	hostPort?: number;
	protocol?: string;
}

export interface EnvVarSourceRef {
	name?: string;
	key?: string;
	optional?: boolean;
}

export interface EnvVar {
	name?: string;
	value?: string;
	valueFrom?: {
		fieldRef?: {apiVersion?: string; fieldPath?: string} | null;
		resourceFieldRef?: {containerName?: string; resource?: string; divisor?: string | number} | null;
		secretKeyRef?: EnvVarSourceRef | null;
		configMapKeyRef?: EnvVarSourceRef | null;
	} | null;
}

export interface EnvFromSource {
	prefix?: string;
	configMapRef?: {name?: string; optional?: boolean} | null;
	secretRef?: {name?: string; optional?: boolean} | null;
}

export interface ExecAction {
	command?: string[];
}

export interface HTTPGetAction {
	host?: string;
	path?: string;
	port?: IntOrString;
	scheme?: string;
}

export interface LifecycleHandler {
	exec?: ExecAction | null;
	httpGet?: HTTPGetAction | null;
	tcpSocket?: {host?: string; port?: IntOrString} | null;
	sleep?: {seconds?: number} | null;
}

export interface Probe extends LifecycleHandler {
	grpc?: {port?: number; service?: string} | null;
	initialDelaySeconds?: number;
	timeoutSeconds?: number;
	periodSeconds?: number;
	successThreshold?: number;
	failureThreshold?: number;
}

export interface VolumeMount {
	name?: string;
	mountPath?: string;
	subPath?: string;
	readOnly?: boolean;
}

export interface Container {
	name?: string;
	image?: string;
	command?: string[];
	args?: string[];
	ports?: ContainerPort[];
	env?: EnvVar[];
	envFrom?: EnvFromSource[];
	resources?: {limits?: Record<string, string | number>; requests?: Record<string, string | number>} | null;
	livenessProbe?: Probe | null;
	readinessProbe?: Probe | null;
	startupProbe?: Probe | null;
	lifecycle?: {preStop?: LifecycleHandler | null; postStart?: LifecycleHandler | null} | null;
	volumeMounts?: VolumeMount[];
	volumeDevices?: {name?: string; devicePath?: string}[];
	restartPolicy?: string;
	securityContext?: {seccompProfile?: {type?: string; localhostProfile?: string} | null} | null;
}

// A loosely typed volume: describeTemplate only prints the common sources in detail.
export interface Volume {
	name?: string;
	emptyDir?: {medium?: string; sizeLimit?: string | number} | null;
	hostPath?: {path?: string; type?: string} | null;
	configMap?: {name?: string; optional?: boolean} | null;
	secret?: {secretName?: string; optional?: boolean} | null;
	persistentVolumeClaim?: {claimName?: string; readOnly?: boolean} | null;
	nfs?: {server?: string; path?: string; readOnly?: boolean} | null;
	downwardAPI?: {
		items?: {
			path?: string;
			fieldRef?: {apiVersion?: string; fieldPath?: string} | null;
			resourceFieldRef?: {containerName?: string; resource?: string; divisor?: string | number} | null;
		}[];
	} | null;
	projected?: {
		sources?: {
			secret?: {name?: string; optional?: boolean} | null;
			configMap?: {name?: string; optional?: boolean} | null;
			downwardAPI?: object | null;
			serviceAccountToken?: {audience?: string; expirationSeconds?: number; path?: string} | null;
		}[];
	} | null;
	csi?: {driver?: string; readOnly?: boolean; volumeAttributes?: Record<string, string>} | null;
	ephemeral?: object | null;
	image?: {reference?: string; pullPolicy?: string} | null;
}

export interface Toleration {
	key?: string;
	operator?: string;
	value?: string;
	effect?: string;
	tolerationSeconds?: number;
}

export interface LabelSelectorRequirement {
	key?: string;
	operator?: string;
	values?: string[];
}

export interface LabelSelector {
	matchLabels?: Record<string, string> | null;
	matchExpressions?: LabelSelectorRequirement[] | null;
}

export interface TopologySpreadConstraint {
	maxSkew?: number;
	topologyKey?: string;
	whenUnsatisfiable?: string;
	labelSelector?: LabelSelector | null;
}

export interface PodSpec {
	containers?: Container[];
	initContainers?: Container[];
	volumes?: Volume[];
	nodeName?: string;
	serviceAccountName?: string;
	priorityClassName?: string;
	nodeSelector?: Record<string, string> | null;
	tolerations?: Toleration[];
	topologySpreadConstraints?: TopologySpreadConstraint[];
	terminationGracePeriodSeconds?: number;
	readinessGates?: {conditionType?: string}[];
}

export interface PodTemplateSpec {
	metadata?: ObjectMeta | null;
	spec?: PodSpec | null;
}

export interface PodStatus {
	phase?: string;
	reason?: string;
	message?: string;
	podIP?: string;
	podIPs?: {ip?: string}[];
	hostIP?: string;
	conditions?: PodCondition[];
	initContainerStatuses?: ContainerStatus[];
	containerStatuses?: ContainerStatus[];
}

export interface Pod {
	metadata?: ObjectMeta | null;
	spec?: PodSpec | null;
	status?: PodStatus | null;
}

export interface DeploymentCondition {
	type?: string;
	status?: string;
	reason?: string;
	message?: string;
	lastUpdateTime?: Timestamp | null;
	lastTransitionTime?: Timestamp | null;
}

export interface DeploymentStrategy {
	type?: string;
	rollingUpdate?: {maxSurge?: IntOrString; maxUnavailable?: IntOrString} | null;
}

export interface Deployment {
	metadata?: ObjectMeta | null;
	spec?: {
		replicas?: number;
		paused?: boolean;
		selector?: LabelSelector | null;
		template?: PodTemplateSpec | null;
		strategy?: DeploymentStrategy | null;
		minReadySeconds?: number;
		progressDeadlineSeconds?: number;
		revisionHistoryLimit?: number;
	} | null;
	status?: {
		observedGeneration?: number;
		replicas?: number;
		updatedReplicas?: number;
		readyReplicas?: number;
		availableReplicas?: number;
		unavailableReplicas?: number;
		conditions?: DeploymentCondition[];
	} | null;
}

export interface ReplicaSet {
	metadata?: ObjectMeta | null;
	spec?: {
		replicas?: number;
		selector?: LabelSelector | null;
		template?: PodTemplateSpec | null;
		minReadySeconds?: number;
	} | null;
	status?: {
		replicas?: number;
		fullyLabeledReplicas?: number;
		readyReplicas?: number;
		availableReplicas?: number;
		observedGeneration?: number;
	} | null;
}

// policy/v1 PodDisruptionBudget: how many of the selected pods a voluntary disruption (a node drain) may take down.
export interface PodDisruptionBudget {
	metadata?: ObjectMeta | null;
	spec?: {
		selector?: LabelSelector | null;
		minAvailable?: IntOrString;
		maxUnavailable?: IntOrString;
		unhealthyPodEvictionPolicy?: string;
	} | null;
	status?: {
		currentHealthy?: number;
		desiredHealthy?: number;
		disruptionsAllowed?: number;
		expectedPods?: number;
		observedGeneration?: number;
	} | null;
}

export interface ObjectReference {
	kind?: string;
	namespace?: string;
	name?: string;
	uid?: string;
	apiVersion?: string;
	fieldPath?: string;
}

// core/v1 Event, the one `kubectl get events` lists.
export interface KubeEvent {
	metadata?: ObjectMeta | null;
	involvedObject?: ObjectReference | null;
	reason?: string;
	message?: string;
	type?: string;
	count?: number;
	firstTimestamp?: Timestamp | null;
	lastTimestamp?: Timestamp | null;
	eventTime?: Timestamp | null;
	series?: {count?: number; lastObservedTime?: Timestamp | null} | null;
	source?: {component?: string; host?: string} | null;
	reportingComponent?: string;
	reportingInstance?: string;
}
