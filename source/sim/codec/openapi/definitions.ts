// The compact description of every schema the documents carry (the data, no logic); separate so adding a field or merge key means editing data only.
import {resources} from '../../resources.js';
import {authDefinitions, authenticationPkg, authorizationPkg, rbacPkg} from './definitions-auth.js';
import {policyDefinitions, policyPkg} from './definitions-policy.js';

/** A group, version and kind, as x-kubernetes-group-version-kind lists them. */
export type Gvk = {group: string; version: string; kind: string};

/**
 * A field in the compact description: a type, then flags.
 * Types: string, int32, int64, bool, object (free-form), Time, MicroTime, Quantity, IntOrString, a definition's
 * short name (Container), [T] for a list, {T} for a map of T.
 * Flags: req (required), patch=merge|retainKeys|merge,retainKeys, key=K (patch merge key),
 * list=atomic|set|map:K1,K2 (x-kubernetes-list-type and list-map-keys).
 */
export type FieldSpec = string;
/** A definition in the compact description: its fields, and the kinds it is the schema of. */
export type DefSpec = {
	gvk?: Gvk[];
	fields: Record<string, FieldSpec>;
	description?: string;
	/** The definition's full name when the short name had to differ from it (events.k8s.io's Event). */
	fullName?: string;
};

const metaPkg = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const corePkg = 'io.k8s.api.core.v1';
const appsPkg = 'io.k8s.api.apps.v1';
const autoscalingPkg = 'io.k8s.api.autoscaling.v1';
const eventsPkg = 'io.k8s.api.events.v1';

const core = (kind: string): Gvk[] => [{group: '', version: 'v1', kind}];
const apps = (kind: string): Gvk[] => [{group: 'apps', version: 'v1', kind}];

// Lists merged by a key, the way their Go fields are tagged (patchStrategy=merge, listType=map).
const mergeBy = (key: string, keys = key) => `patch=merge key=${key} list=map:${keys}`;

/** The definitions by package ('io.k8s.api.core.v1'), then by short name ('Container'). */
export const definitions: Record<string, Record<string, DefSpec>> = {
	[metaPkg]: {
		ObjectMeta: {
			fields: {
				name: 'string',
				generateName: 'string',
				namespace: 'string',
				selfLink: 'string',
				uid: 'string',
				resourceVersion: 'string',
				generation: 'int64',
				creationTimestamp: 'Time',
				deletionTimestamp: 'Time',
				deletionGracePeriodSeconds: 'int64',
				labels: '{string}',
				annotations: '{string}',
				ownerReferences: `[OwnerReference] ${mergeBy('uid')}`,
				finalizers: '[string] patch=merge list=set',
				managedFields: '[ManagedFieldsEntry] list=atomic',
			},
		},
		ManagedFieldsEntry: {
			fields: {
				manager: 'string',
				operation: 'string',
				apiVersion: 'string',
				time: 'Time',
				fieldsType: 'string',
				fieldsV1: 'object',
				subresource: 'string',
			},
		},
		OwnerReference: {
			fields: {
				apiVersion: 'string req',
				kind: 'string req',
				name: 'string req',
				uid: 'string req',
				controller: 'bool',
				blockOwnerDeletion: 'bool',
			},
		},
		LabelSelector: {fields: {matchLabels: '{string}', matchExpressions: '[LabelSelectorRequirement] list=atomic'}},
		LabelSelectorRequirement: {fields: {key: 'string req', operator: 'string req', values: '[string] list=atomic'}},
		ListMeta: {fields: {selfLink: 'string', resourceVersion: 'string', continue: 'string', remainingItemCount: 'int64'}},
		Preconditions: {fields: {uid: 'string', resourceVersion: 'string'}},
		DeleteOptions: {
			gvk: [...core('DeleteOptions'), ...apps('DeleteOptions'), {group: 'autoscaling', version: 'v1', kind: 'DeleteOptions'}],
			fields: {
				apiVersion: 'string',
				kind: 'string',
				gracePeriodSeconds: 'int64',
				preconditions: 'Preconditions',
				orphanDependents: 'bool',
				propagationPolicy: 'string',
				dryRun: '[string] list=atomic',
				ignoreStoreReadErrorWithClusterBreakingPotential: 'bool',
			},
		},
		Status: {
			gvk: core('Status'),
			fields: {
				apiVersion: 'string',
				kind: 'string',
				metadata: 'ListMeta',
				status: 'string',
				message: 'string',
				reason: 'string',
				details: 'StatusDetails',
				code: 'int32',
			},
		},
		StatusDetails: {
			fields: {
				name: 'string',
				group: 'string',
				kind: 'string',
				uid: 'string',
				causes: '[StatusCause] list=atomic',
				retryAfterSeconds: 'int32',
			},
		},
		StatusCause: {fields: {reason: 'string', message: 'string', field: 'string'}},
		Patch: {
			fields: {},
			description: 'The body of a PATCH request: a JSON patch, merge patch, strategic merge patch or apply configuration.',
		},
	},
	[corePkg]: {
		Namespace: {gvk: core('Namespace'), fields: {metadata: 'ObjectMeta', spec: 'NamespaceSpec', status: 'NamespaceStatus'}},
		NamespaceSpec: {fields: {finalizers: '[string] list=atomic'}},
		NamespaceStatus: {fields: {phase: 'string', conditions: `[NamespaceCondition] ${mergeBy('type')}`}},
		NamespaceCondition: {
			fields: {type: 'string req', status: 'string req', lastTransitionTime: 'Time', reason: 'string', message: 'string'},
		},
		Node: {gvk: core('Node'), fields: {metadata: 'ObjectMeta', spec: 'NodeSpec', status: 'NodeStatus'}},
		NodeSpec: {
			fields: {
				podCIDR: 'string',
				podCIDRs: '[string] patch=merge list=set',
				providerID: 'string',
				unschedulable: 'bool',
				taints: '[Taint] list=atomic',
				configSource: 'object',
				externalID: 'string',
			},
		},
		Taint: {fields: {key: 'string req', value: 'string', effect: 'string req', timeAdded: 'Time'}},
		NodeStatus: {
			fields: {
				capacity: '{Quantity}',
				allocatable: '{Quantity}',
				phase: 'string',
				conditions: `[NodeCondition] ${mergeBy('type')}`,
				addresses: '[NodeAddress] patch=merge key=type list=atomic',
				daemonEndpoints: 'object',
				nodeInfo: 'NodeSystemInfo',
				images: '[ContainerImage] list=atomic',
				volumesInUse: '[string] list=atomic',
				volumesAttached: '[object] list=atomic',
				config: 'object',
				runtimeHandlers: '[object] list=atomic',
				features: 'object',
			},
		},
		NodeCondition: {
			fields: {
				type: 'string req',
				status: 'string req',
				lastHeartbeatTime: 'Time',
				lastTransitionTime: 'Time',
				reason: 'string',
				message: 'string',
			},
		},
		NodeAddress: {fields: {type: 'string req', address: 'string req'}},
		NodeSystemInfo: {
			fields: {
				machineID: 'string req',
				systemUUID: 'string req',
				bootID: 'string req',
				kernelVersion: 'string req',
				osImage: 'string req',
				containerRuntimeVersion: 'string req',
				kubeletVersion: 'string req',
				kubeProxyVersion: 'string req',
				operatingSystem: 'string req',
				architecture: 'string req',
			},
		},
		ContainerImage: {fields: {names: '[string] list=atomic', sizeBytes: 'int64'}},
		Pod: {gvk: core('Pod'), fields: {metadata: 'ObjectMeta', spec: 'PodSpec', status: 'PodStatus'}},
		PodTemplateSpec: {fields: {metadata: 'ObjectMeta', spec: 'PodSpec'}},
		PodSpec: {
			fields: {
				volumes: `[Volume] ${mergeBy('name').replace('patch=merge', 'patch=merge,retainKeys')}`,
				initContainers: `[Container] ${mergeBy('name')}`,
				containers: `[Container] req ${mergeBy('name')}`,
				ephemeralContainers: `[object] ${mergeBy('name')}`,
				restartPolicy: 'string',
				terminationGracePeriodSeconds: 'int64',
				activeDeadlineSeconds: 'int64',
				dnsPolicy: 'string',
				nodeSelector: '{string}',
				serviceAccountName: 'string',
				serviceAccount: 'string',
				automountServiceAccountToken: 'bool',
				nodeName: 'string',
				hostNetwork: 'bool',
				hostPID: 'bool',
				hostIPC: 'bool',
				shareProcessNamespace: 'bool',
				securityContext: 'PodSecurityContext',
				imagePullSecrets: `[LocalObjectReference] ${mergeBy('name')}`,
				hostname: 'string',
				subdomain: 'string',
				affinity: 'object',
				schedulerName: 'string',
				tolerations: '[Toleration] list=atomic',
				hostAliases: `[object] ${mergeBy('ip')}`,
				priorityClassName: 'string',
				priority: 'int32',
				dnsConfig: 'object',
				readinessGates: '[PodReadinessGate] list=atomic',
				runtimeClassName: 'string',
				enableServiceLinks: 'bool',
				preemptionPolicy: 'string',
				overhead: '{Quantity}',
				topologySpreadConstraints: `[object] ${mergeBy('topologyKey', 'topologyKey,whenUnsatisfiable')}`,
				setHostnameAsFQDN: 'bool',
				os: 'object',
				hostUsers: 'bool',
				schedulingGates: `[object] ${mergeBy('name')}`,
				resourceClaims: `[object] ${mergeBy('name').replace('patch=merge', 'patch=merge,retainKeys')}`,
				resources: 'ResourceRequirements',
			},
		},
		PodSecurityContext: {
			fields: {
				seLinuxOptions: 'object',
				windowsOptions: 'object',
				runAsUser: 'int64',
				runAsGroup: 'int64',
				runAsNonRoot: 'bool',
				supplementalGroups: '[int64] list=atomic',
				supplementalGroupsPolicy: 'string',
				fsGroup: 'int64',
				sysctls: '[object] list=atomic',
				fsGroupChangePolicy: 'string',
				seccompProfile: 'object',
				appArmorProfile: 'object',
				seLinuxChangePolicy: 'string',
			},
		},
		Toleration: {fields: {key: 'string', operator: 'string', value: 'string', effect: 'string', tolerationSeconds: 'int64'}},
		LocalObjectReference: {fields: {name: 'string'}},
		PodReadinessGate: {fields: {conditionType: 'string req'}},
		Container: {
			fields: {
				name: 'string req',
				image: 'string',
				command: '[string] list=atomic',
				args: '[string] list=atomic',
				workingDir: 'string',
				ports: `[ContainerPort] ${mergeBy('containerPort', 'containerPort,protocol')}`,
				envFrom: '[EnvFromSource] list=atomic',
				env: `[EnvVar] ${mergeBy('name')}`,
				resources: 'ResourceRequirements',
				resizePolicy: '[object] list=atomic',
				restartPolicy: 'string',
				volumeMounts: `[VolumeMount] ${mergeBy('mountPath')}`,
				volumeDevices: `[object] ${mergeBy('devicePath')}`,
				livenessProbe: 'Probe',
				readinessProbe: 'Probe',
				startupProbe: 'Probe',
				lifecycle: 'Lifecycle',
				terminationMessagePath: 'string',
				terminationMessagePolicy: 'string',
				imagePullPolicy: 'string',
				securityContext: 'SecurityContext',
				stdin: 'bool',
				stdinOnce: 'bool',
				tty: 'bool',
			},
		},
		ContainerPort: {fields: {name: 'string', hostPort: 'int32', containerPort: 'int32 req', protocol: 'string', hostIP: 'string'}},
		EnvVar: {fields: {name: 'string req', value: 'string', valueFrom: 'EnvVarSource'}},
		EnvVarSource: {
			fields: {
				fieldRef: 'ObjectFieldSelector',
				resourceFieldRef: 'ResourceFieldSelector',
				configMapKeyRef: 'ConfigMapKeySelector',
				secretKeyRef: 'SecretKeySelector',
			},
		},
		ObjectFieldSelector: {fields: {apiVersion: 'string', fieldPath: 'string req'}},
		ResourceFieldSelector: {fields: {containerName: 'string', resource: 'string req', divisor: 'Quantity'}},
		ConfigMapKeySelector: {fields: {name: 'string', key: 'string req', optional: 'bool'}},
		SecretKeySelector: {fields: {name: 'string', key: 'string req', optional: 'bool'}},
		EnvFromSource: {fields: {prefix: 'string', configMapRef: 'ConfigMapEnvSource', secretRef: 'SecretEnvSource'}},
		ConfigMapEnvSource: {fields: {name: 'string', optional: 'bool'}},
		SecretEnvSource: {fields: {name: 'string', optional: 'bool'}},
		ResourceRequirements: {fields: {limits: '{Quantity}', requests: '{Quantity}', claims: '[object] list=map:name'}},
		VolumeMount: {
			fields: {
				name: 'string req',
				readOnly: 'bool',
				recursiveReadOnly: 'string',
				mountPath: 'string req',
				subPath: 'string',
				mountPropagation: 'string',
				subPathExpr: 'string',
			},
		},
		Volume: {
			fields: {
				name: 'string req',
				hostPath: 'HostPathVolumeSource',
				emptyDir: 'EmptyDirVolumeSource',
				secret: 'SecretVolumeSource',
				configMap: 'ConfigMapVolumeSource',
				persistentVolumeClaim: 'object',
				projected: 'object',
				downwardAPI: 'object',
				csi: 'object',
				ephemeral: 'object',
				image: 'object',
				nfs: 'object',
			},
		},
		HostPathVolumeSource: {fields: {path: 'string req', type: 'string'}},
		EmptyDirVolumeSource: {fields: {medium: 'string', sizeLimit: 'Quantity'}},
		SecretVolumeSource: {fields: {secretName: 'string', items: '[KeyToPath] list=atomic', defaultMode: 'int32', optional: 'bool'}},
		ConfigMapVolumeSource: {fields: {name: 'string', items: '[KeyToPath] list=atomic', defaultMode: 'int32', optional: 'bool'}},
		KeyToPath: {fields: {key: 'string req', path: 'string req', mode: 'int32'}},
		Probe: {
			fields: {
				exec: 'ExecAction',
				httpGet: 'HTTPGetAction',
				tcpSocket: 'TCPSocketAction',
				grpc: 'GRPCAction',
				initialDelaySeconds: 'int32',
				timeoutSeconds: 'int32',
				periodSeconds: 'int32',
				successThreshold: 'int32',
				failureThreshold: 'int32',
				terminationGracePeriodSeconds: 'int64',
			},
		},
		ExecAction: {fields: {command: '[string] list=atomic'}},
		HTTPGetAction: {
			fields: {path: 'string', port: 'IntOrString req', host: 'string', scheme: 'string', httpHeaders: '[HTTPHeader] list=atomic'},
		},
		HTTPHeader: {fields: {name: 'string req', value: 'string req'}},
		TCPSocketAction: {fields: {port: 'IntOrString req', host: 'string'}},
		GRPCAction: {fields: {port: 'int32 req', service: 'string'}},
		Lifecycle: {fields: {postStart: 'LifecycleHandler', preStop: 'LifecycleHandler'}},
		LifecycleHandler: {fields: {exec: 'ExecAction', httpGet: 'HTTPGetAction', tcpSocket: 'TCPSocketAction', sleep: 'SleepAction'}},
		SleepAction: {fields: {seconds: 'int64 req'}},
		SecurityContext: {
			fields: {
				capabilities: 'Capabilities',
				privileged: 'bool',
				seLinuxOptions: 'object',
				windowsOptions: 'object',
				runAsUser: 'int64',
				runAsGroup: 'int64',
				runAsNonRoot: 'bool',
				readOnlyRootFilesystem: 'bool',
				allowPrivilegeEscalation: 'bool',
				procMount: 'string',
				seccompProfile: 'object',
				appArmorProfile: 'object',
			},
		},
		Capabilities: {fields: {add: '[string] list=atomic', drop: '[string] list=atomic'}},
		PodStatus: {
			fields: {
				phase: 'string',
				conditions: `[PodCondition] ${mergeBy('type')}`,
				message: 'string',
				reason: 'string',
				nominatedNodeName: 'string',
				hostIP: 'string',
				hostIPs: '[HostIP] patch=merge key=ip list=atomic',
				podIP: 'string',
				podIPs: `[PodIP] ${mergeBy('ip')}`,
				startTime: 'Time',
				initContainerStatuses: '[ContainerStatus] list=atomic',
				containerStatuses: '[ContainerStatus] list=atomic',
				qosClass: 'string',
				ephemeralContainerStatuses: '[ContainerStatus] list=atomic',
				resize: 'string',
				resourceClaimStatuses: `[object] ${mergeBy('name').replace('patch=merge', 'patch=merge,retainKeys')}`,
			},
		},
		PodCondition: {
			fields: {
				type: 'string req',
				status: 'string req',
				lastProbeTime: 'Time',
				lastTransitionTime: 'Time',
				reason: 'string',
				message: 'string',
			},
		},
		HostIP: {fields: {ip: 'string req'}},
		PodIP: {fields: {ip: 'string req'}},
		ContainerStatus: {
			fields: {
				name: 'string req',
				state: 'ContainerState',
				lastState: 'ContainerState',
				ready: 'bool req',
				restartCount: 'int32 req',
				image: 'string req',
				imageID: 'string req',
				containerID: 'string',
				started: 'bool',
				allocatedResources: '{Quantity}',
				resources: 'ResourceRequirements',
				volumeMounts: `[object] ${mergeBy('mountPath')}`,
				user: 'object',
				allocatedResourcesStatus: `[object] ${mergeBy('name')}`,
			},
		},
		ContainerState: {fields: {waiting: 'ContainerStateWaiting', running: 'ContainerStateRunning', terminated: 'ContainerStateTerminated'}},
		ContainerStateWaiting: {fields: {reason: 'string', message: 'string'}},
		ContainerStateRunning: {fields: {startedAt: 'Time'}},
		ContainerStateTerminated: {
			fields: {
				exitCode: 'int32 req',
				signal: 'int32',
				reason: 'string',
				message: 'string',
				startedAt: 'Time',
				finishedAt: 'Time',
				containerID: 'string',
			},
		},
		Service: {gvk: core('Service'), fields: {metadata: 'ObjectMeta', spec: 'ServiceSpec', status: 'ServiceStatus'}},
		ServiceSpec: {
			fields: {
				ports: `[ServicePort] ${mergeBy('port', 'port,protocol')}`,
				selector: '{string}',
				clusterIP: 'string',
				clusterIPs: '[string] list=atomic',
				type: 'string',
				externalIPs: '[string] list=atomic',
				sessionAffinity: 'string',
				loadBalancerIP: 'string',
				loadBalancerSourceRanges: '[string] list=atomic',
				externalName: 'string',
				externalTrafficPolicy: 'string',
				healthCheckNodePort: 'int32',
				publishNotReadyAddresses: 'bool',
				sessionAffinityConfig: 'object',
				ipFamilies: '[string] list=atomic',
				ipFamilyPolicy: 'string',
				allocateLoadBalancerNodePorts: 'bool',
				loadBalancerClass: 'string',
				internalTrafficPolicy: 'string',
				trafficDistribution: 'string',
			},
		},
		ServicePort: {
			fields: {name: 'string', protocol: 'string', appProtocol: 'string', port: 'int32 req', targetPort: 'IntOrString', nodePort: 'int32'},
		},
		ServiceStatus: {fields: {loadBalancer: 'LoadBalancerStatus', conditions: `[object] ${mergeBy('type')}`}},
		LoadBalancerStatus: {fields: {ingress: '[LoadBalancerIngress] list=atomic'}},
		LoadBalancerIngress: {fields: {ip: 'string', hostname: 'string', ipMode: 'string', ports: '[object] list=atomic'}},
		Endpoints: {gvk: core('Endpoints'), fields: {metadata: 'ObjectMeta', subsets: '[EndpointSubset] list=atomic'}},
		EndpointSubset: {
			fields: {
				addresses: '[EndpointAddress] list=atomic',
				notReadyAddresses: '[EndpointAddress] list=atomic',
				ports: '[EndpointPort] list=atomic',
			},
		},
		EndpointAddress: {fields: {ip: 'string req', hostname: 'string', nodeName: 'string', targetRef: 'ObjectReference'}},
		EndpointPort: {fields: {name: 'string', port: 'int32 req', protocol: 'string', appProtocol: 'string'}},
		Event: {
			gvk: core('Event'),
			fields: {
				metadata: 'ObjectMeta req',
				involvedObject: 'ObjectReference req',
				reason: 'string',
				message: 'string',
				source: 'EventSource',
				firstTimestamp: 'Time',
				lastTimestamp: 'Time',
				count: 'int32',
				type: 'string',
				eventTime: 'MicroTime',
				series: 'EventSeries',
				action: 'string',
				related: 'ObjectReference',
				reportingComponent: 'string',
				reportingInstance: 'string',
			},
		},
		EventSource: {fields: {component: 'string', host: 'string'}},
		EventSeries: {fields: {count: 'int32', lastObservedTime: 'MicroTime'}},
		ObjectReference: {
			fields: {
				kind: 'string',
				namespace: 'string',
				name: 'string',
				uid: 'string',
				apiVersion: 'string',
				resourceVersion: 'string',
				fieldPath: 'string',
			},
		},
	},
	[appsPkg]: {
		Deployment: {gvk: apps('Deployment'), fields: {metadata: 'ObjectMeta', spec: 'DeploymentSpec', status: 'DeploymentStatus'}},
		DeploymentSpec: {
			fields: {
				replicas: 'int32',
				selector: 'LabelSelector req',
				template: 'PodTemplateSpec req',
				strategy: 'DeploymentStrategy patch=retainKeys',
				minReadySeconds: 'int32',
				revisionHistoryLimit: 'int32',
				paused: 'bool',
				progressDeadlineSeconds: 'int32',
			},
		},
		DeploymentStrategy: {fields: {type: 'string', rollingUpdate: 'RollingUpdateDeployment'}},
		RollingUpdateDeployment: {fields: {maxUnavailable: 'IntOrString', maxSurge: 'IntOrString'}},
		DeploymentStatus: {
			fields: {
				observedGeneration: 'int64',
				replicas: 'int32',
				updatedReplicas: 'int32',
				readyReplicas: 'int32',
				availableReplicas: 'int32',
				unavailableReplicas: 'int32',
				terminatingReplicas: 'int32',
				conditions: `[DeploymentCondition] ${mergeBy('type')}`,
				collisionCount: 'int32',
			},
		},
		DeploymentCondition: {
			fields: {
				type: 'string req',
				status: 'string req',
				lastUpdateTime: 'Time',
				lastTransitionTime: 'Time',
				reason: 'string',
				message: 'string',
			},
		},
		ReplicaSet: {gvk: apps('ReplicaSet'), fields: {metadata: 'ObjectMeta', spec: 'ReplicaSetSpec', status: 'ReplicaSetStatus'}},
		ReplicaSetSpec: {fields: {replicas: 'int32', minReadySeconds: 'int32', selector: 'LabelSelector req', template: 'PodTemplateSpec'}},
		ReplicaSetStatus: {
			fields: {
				replicas: 'int32 req',
				fullyLabeledReplicas: 'int32',
				readyReplicas: 'int32',
				availableReplicas: 'int32',
				terminatingReplicas: 'int32',
				observedGeneration: 'int64',
				conditions: `[ReplicaSetCondition] ${mergeBy('type')}`,
			},
		},
		ReplicaSetCondition: {
			fields: {type: 'string req', status: 'string req', lastTransitionTime: 'Time', reason: 'string', message: 'string'},
		},
	},
	// events.k8s.io/v1: its Event and EventSeries share short names with core/v1's, so they get their own.
	[eventsPkg]: {
		EventsV1Event: {
			fullName: `${eventsPkg}.Event`,
			gvk: [{group: 'events.k8s.io', version: 'v1', kind: 'Event'}],
			fields: {
				metadata: 'ObjectMeta',
				eventTime: 'MicroTime req',
				series: 'EventsV1EventSeries',
				reportingController: 'string',
				reportingInstance: 'string',
				action: 'string',
				reason: 'string',
				regarding: 'ObjectReference',
				related: 'ObjectReference',
				note: 'string',
				type: 'string',
				deprecatedSource: 'EventSource',
				deprecatedFirstTimestamp: 'Time',
				deprecatedLastTimestamp: 'Time',
				deprecatedCount: 'int32',
			},
		},
		EventsV1EventSeries: {fullName: `${eventsPkg}.EventSeries`, fields: {count: 'int32 req', lastObservedTime: 'MicroTime req'}},
	},
	[autoscalingPkg]: {
		Scale: {
			gvk: [{group: 'autoscaling', version: 'v1', kind: 'Scale'}],
			fields: {metadata: 'ObjectMeta', spec: 'ScaleSpec', status: 'ScaleStatus'},
		},
		ScaleSpec: {fields: {replicas: 'int32'}},
		ScaleStatus: {fields: {replicas: 'int32 req', selector: 'string'}},
	},
};

Object.assign(definitions, authDefinitions, policyDefinitions);

// Kinds' lists (PodList, ...) follow one pattern; they are added for every served resource that lists.
const packageOf: Record<string, string> = {
	'': corePkg,
	apps: appsPkg,
	'events.k8s.io': eventsPkg,
	'rbac.authorization.k8s.io': rbacPkg,
	'authorization.k8s.io': authorizationPkg,
	'authentication.k8s.io': authenticationPkg,
	policy: policyPkg,
};
for (const r of resources) {
	if (!r.verbs.includes('list')) continue;
	const pkg = packageOf[r.group]!;
	const schema = r.schema ?? r.kind;
	definitions[pkg]![`${schema}List`] = {
		...(r.schema ? {fullName: `${pkg}.${r.kind}List`} : {}),
		gvk: [{group: r.group, version: r.version, kind: `${r.kind}List`}],
		fields: {metadata: 'ListMeta', items: `[${schema}] req`},
	};
}

/** Types that JSON carries as strings or numbers; real documents describe them the same way. */
export const leafSchemas: Record<string, {name: string; schema: Record<string, unknown>}> = {
	Time: {name: `${metaPkg}.Time`, schema: {type: 'string', format: 'date-time', description: 'RFC 3339 time, to the second.'}},
	MicroTime: {
		name: `${metaPkg}.MicroTime`,
		schema: {type: 'string', format: 'date-time', description: 'RFC 3339 time, to the microsecond.'},
	},
	Quantity: {
		name: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
		schema: {type: 'string', description: 'A fixed-point number with a suffix, like 100m or 64Mi.'},
	},
	IntOrString: {
		name: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
		schema: {type: 'string', format: 'int-or-string', description: 'An integer or a string, like 80 or "http" or "25%".'},
	},
};
