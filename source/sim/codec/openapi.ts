// OpenAPI documents for the kinds the simulator serves. kubectl downloads them before `create -f` and `apply -f`:
// with none it stops with "failed to download openapi". It reads two things: the PATCH operations (their
// x-kubernetes-group-version-kind and the fieldValidation parameter tell it the server validates fields, so it
// skips client-side validation) and the schemas' patch metadata (merge keys and strategies for `apply`'s
// strategic merge patch). Both documents are generated from the compact description below.
import {createHash} from 'node:crypto';
import protobuf from 'protobufjs';
import {resources, type ResourceInfo} from '../resources.js';
import {openapiV2Proto} from './openapi-v2-proto.js';

type Gvk = {group: string; version: string; kind: string};

/**
 * A field in the compact description: a type, then flags.
 * Types: string, int32, int64, bool, object (free-form), Time, MicroTime, Quantity, IntOrString, a definition's
 * short name (Container), [T] for a list, {T} for a map of T.
 * Flags: req (required), patch=merge|retainKeys|merge,retainKeys, key=K (patch merge key),
 * list=atomic|set|map:K1,K2 (x-kubernetes-list-type and list-map-keys).
 */
type FieldSpec = string;
type DefSpec = {gvk?: Gvk[]; fields: Record<string, FieldSpec>; description?: string};

const metaPkg = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const corePkg = 'io.k8s.api.core.v1';
const appsPkg = 'io.k8s.api.apps.v1';
const autoscalingPkg = 'io.k8s.api.autoscaling.v1';

const core = (kind: string): Gvk[] => [{group: '', version: 'v1', kind}];
const apps = (kind: string): Gvk[] => [{group: 'apps', version: 'v1', kind}];

// Lists merged by a key, the way their Go fields are tagged (patchStrategy=merge, listType=map).
const mergeBy = (key: string, keys = key) => `patch=merge key=${key} list=map:${keys}`;

const definitions: Record<string, Record<string, DefSpec>> = {
	[metaPkg]: {
		ObjectMeta: {
			fields: {
				name: 'string', generateName: 'string', namespace: 'string', selfLink: 'string', uid: 'string', resourceVersion: 'string',
				generation: 'int64', creationTimestamp: 'Time', deletionTimestamp: 'Time', deletionGracePeriodSeconds: 'int64',
				labels: '{string}', annotations: '{string}', ownerReferences: `[OwnerReference] ${mergeBy('uid')}`,
				finalizers: '[string] patch=merge list=set', managedFields: '[ManagedFieldsEntry] list=atomic',
			},
		},
		ManagedFieldsEntry: {fields: {manager: 'string', operation: 'string', apiVersion: 'string', time: 'Time', fieldsType: 'string', fieldsV1: 'object', subresource: 'string'}},
		OwnerReference: {fields: {apiVersion: 'string req', kind: 'string req', name: 'string req', uid: 'string req', controller: 'bool', blockOwnerDeletion: 'bool'}},
		LabelSelector: {fields: {matchLabels: '{string}', matchExpressions: '[LabelSelectorRequirement] list=atomic'}},
		LabelSelectorRequirement: {fields: {key: 'string req', operator: 'string req', values: '[string] list=atomic'}},
		ListMeta: {fields: {selfLink: 'string', resourceVersion: 'string', continue: 'string', remainingItemCount: 'int64'}},
		Preconditions: {fields: {uid: 'string', resourceVersion: 'string'}},
		DeleteOptions: {
			gvk: [...core('DeleteOptions'), ...apps('DeleteOptions'), {group: 'autoscaling', version: 'v1', kind: 'DeleteOptions'}],
			fields: {
				apiVersion: 'string', kind: 'string', gracePeriodSeconds: 'int64', preconditions: 'Preconditions', orphanDependents: 'bool',
				propagationPolicy: 'string', dryRun: '[string] list=atomic', ignoreStoreReadErrorWithClusterBreakingPotential: 'bool',
			},
		},
		Status: {
			gvk: core('Status'),
			fields: {apiVersion: 'string', kind: 'string', metadata: 'ListMeta', status: 'string', message: 'string', reason: 'string', details: 'StatusDetails', code: 'int32'},
		},
		StatusDetails: {fields: {name: 'string', group: 'string', kind: 'string', uid: 'string', causes: '[StatusCause] list=atomic', retryAfterSeconds: 'int32'}},
		StatusCause: {fields: {reason: 'string', message: 'string', field: 'string'}},
		Patch: {fields: {}, description: 'The body of a PATCH request: a JSON patch, merge patch, strategic merge patch or apply configuration.'},
	},
	[corePkg]: {
		Namespace: {gvk: core('Namespace'), fields: {metadata: 'ObjectMeta', spec: 'NamespaceSpec', status: 'NamespaceStatus'}},
		NamespaceSpec: {fields: {finalizers: '[string] list=atomic'}},
		NamespaceStatus: {fields: {phase: 'string', conditions: `[NamespaceCondition] ${mergeBy('type')}`}},
		NamespaceCondition: {fields: {type: 'string req', status: 'string req', lastTransitionTime: 'Time', reason: 'string', message: 'string'}},
		Node: {gvk: core('Node'), fields: {metadata: 'ObjectMeta', spec: 'NodeSpec', status: 'NodeStatus'}},
		NodeSpec: {fields: {podCIDR: 'string', podCIDRs: '[string] patch=merge list=set', providerID: 'string', unschedulable: 'bool', taints: '[Taint] list=atomic', configSource: 'object', externalID: 'string'}},
		Taint: {fields: {key: 'string req', value: 'string', effect: 'string req', timeAdded: 'Time'}},
		NodeStatus: {
			fields: {
				capacity: '{Quantity}', allocatable: '{Quantity}', phase: 'string', conditions: `[NodeCondition] ${mergeBy('type')}`,
				addresses: '[NodeAddress] patch=merge key=type list=atomic', daemonEndpoints: 'object', nodeInfo: 'NodeSystemInfo',
				images: '[ContainerImage] list=atomic', volumesInUse: '[string] list=atomic', volumesAttached: '[object] list=atomic', config: 'object',
				runtimeHandlers: '[object] list=atomic', features: 'object',
			},
		},
		NodeCondition: {fields: {type: 'string req', status: 'string req', lastHeartbeatTime: 'Time', lastTransitionTime: 'Time', reason: 'string', message: 'string'}},
		NodeAddress: {fields: {type: 'string req', address: 'string req'}},
		NodeSystemInfo: {
			fields: {
				machineID: 'string req', systemUUID: 'string req', bootID: 'string req', kernelVersion: 'string req', osImage: 'string req',
				containerRuntimeVersion: 'string req', kubeletVersion: 'string req', kubeProxyVersion: 'string req', operatingSystem: 'string req',
				architecture: 'string req',
			},
		},
		ContainerImage: {fields: {names: '[string] list=atomic', sizeBytes: 'int64'}},
		Pod: {gvk: core('Pod'), fields: {metadata: 'ObjectMeta', spec: 'PodSpec', status: 'PodStatus'}},
		PodTemplateSpec: {fields: {metadata: 'ObjectMeta', spec: 'PodSpec'}},
		PodSpec: {
			fields: {
				volumes: `[Volume] ${mergeBy('name').replace('patch=merge', 'patch=merge,retainKeys')}`,
				initContainers: `[Container] ${mergeBy('name')}`, containers: `[Container] req ${mergeBy('name')}`,
				ephemeralContainers: `[object] ${mergeBy('name')}`, restartPolicy: 'string', terminationGracePeriodSeconds: 'int64',
				activeDeadlineSeconds: 'int64', dnsPolicy: 'string', nodeSelector: '{string}', serviceAccountName: 'string', serviceAccount: 'string',
				automountServiceAccountToken: 'bool', nodeName: 'string', hostNetwork: 'bool', hostPID: 'bool', hostIPC: 'bool',
				shareProcessNamespace: 'bool', securityContext: 'PodSecurityContext', imagePullSecrets: `[LocalObjectReference] ${mergeBy('name')}`,
				hostname: 'string', subdomain: 'string', affinity: 'object', schedulerName: 'string', tolerations: '[Toleration] list=atomic',
				hostAliases: `[object] ${mergeBy('ip')}`, priorityClassName: 'string', priority: 'int32', dnsConfig: 'object',
				readinessGates: '[PodReadinessGate] list=atomic', runtimeClassName: 'string', enableServiceLinks: 'bool', preemptionPolicy: 'string',
				overhead: '{Quantity}', topologySpreadConstraints: `[object] ${mergeBy('topologyKey', 'topologyKey,whenUnsatisfiable')}`,
				setHostnameAsFQDN: 'bool', os: 'object', hostUsers: 'bool', schedulingGates: `[object] ${mergeBy('name')}`,
				resourceClaims: `[object] ${mergeBy('name').replace('patch=merge', 'patch=merge,retainKeys')}`, resources: 'ResourceRequirements',
			},
		},
		PodSecurityContext: {
			fields: {
				seLinuxOptions: 'object', windowsOptions: 'object', runAsUser: 'int64', runAsGroup: 'int64', runAsNonRoot: 'bool',
				supplementalGroups: '[int64] list=atomic', supplementalGroupsPolicy: 'string', fsGroup: 'int64', sysctls: '[object] list=atomic',
				fsGroupChangePolicy: 'string', seccompProfile: 'object', appArmorProfile: 'object', seLinuxChangePolicy: 'string',
			},
		},
		Toleration: {fields: {key: 'string', operator: 'string', value: 'string', effect: 'string', tolerationSeconds: 'int64'}},
		LocalObjectReference: {fields: {name: 'string'}},
		PodReadinessGate: {fields: {conditionType: 'string req'}},
		Container: {
			fields: {
				name: 'string req', image: 'string', command: '[string] list=atomic', args: '[string] list=atomic', workingDir: 'string',
				ports: `[ContainerPort] ${mergeBy('containerPort', 'containerPort,protocol')}`, envFrom: '[EnvFromSource] list=atomic',
				env: `[EnvVar] ${mergeBy('name')}`, resources: 'ResourceRequirements', resizePolicy: '[object] list=atomic', restartPolicy: 'string',
				volumeMounts: `[VolumeMount] ${mergeBy('mountPath')}`, volumeDevices: `[object] ${mergeBy('devicePath')}`, livenessProbe: 'Probe',
				readinessProbe: 'Probe', startupProbe: 'Probe', lifecycle: 'Lifecycle', terminationMessagePath: 'string',
				terminationMessagePolicy: 'string', imagePullPolicy: 'string', securityContext: 'SecurityContext', stdin: 'bool', stdinOnce: 'bool',
				tty: 'bool',
			},
		},
		ContainerPort: {fields: {name: 'string', hostPort: 'int32', containerPort: 'int32 req', protocol: 'string', hostIP: 'string'}},
		EnvVar: {fields: {name: 'string req', value: 'string', valueFrom: 'EnvVarSource'}},
		EnvVarSource: {fields: {fieldRef: 'ObjectFieldSelector', resourceFieldRef: 'ResourceFieldSelector', configMapKeyRef: 'ConfigMapKeySelector', secretKeyRef: 'SecretKeySelector'}},
		ObjectFieldSelector: {fields: {apiVersion: 'string', fieldPath: 'string req'}},
		ResourceFieldSelector: {fields: {containerName: 'string', resource: 'string req', divisor: 'Quantity'}},
		ConfigMapKeySelector: {fields: {name: 'string', key: 'string req', optional: 'bool'}},
		SecretKeySelector: {fields: {name: 'string', key: 'string req', optional: 'bool'}},
		EnvFromSource: {fields: {prefix: 'string', configMapRef: 'ConfigMapEnvSource', secretRef: 'SecretEnvSource'}},
		ConfigMapEnvSource: {fields: {name: 'string', optional: 'bool'}},
		SecretEnvSource: {fields: {name: 'string', optional: 'bool'}},
		ResourceRequirements: {fields: {limits: '{Quantity}', requests: '{Quantity}', claims: '[object] list=map:name'}},
		VolumeMount: {fields: {name: 'string req', readOnly: 'bool', recursiveReadOnly: 'string', mountPath: 'string req', subPath: 'string', mountPropagation: 'string', subPathExpr: 'string'}},
		Volume: {
			fields: {
				name: 'string req', hostPath: 'HostPathVolumeSource', emptyDir: 'EmptyDirVolumeSource', secret: 'SecretVolumeSource',
				configMap: 'ConfigMapVolumeSource', persistentVolumeClaim: 'object', projected: 'object', downwardAPI: 'object', csi: 'object',
				ephemeral: 'object', image: 'object', nfs: 'object',
			},
		},
		HostPathVolumeSource: {fields: {path: 'string req', type: 'string'}},
		EmptyDirVolumeSource: {fields: {medium: 'string', sizeLimit: 'Quantity'}},
		SecretVolumeSource: {fields: {secretName: 'string', items: '[KeyToPath] list=atomic', defaultMode: 'int32', optional: 'bool'}},
		ConfigMapVolumeSource: {fields: {name: 'string', items: '[KeyToPath] list=atomic', defaultMode: 'int32', optional: 'bool'}},
		KeyToPath: {fields: {key: 'string req', path: 'string req', mode: 'int32'}},
		Probe: {
			fields: {
				exec: 'ExecAction', httpGet: 'HTTPGetAction', tcpSocket: 'TCPSocketAction', grpc: 'GRPCAction', initialDelaySeconds: 'int32',
				timeoutSeconds: 'int32', periodSeconds: 'int32', successThreshold: 'int32', failureThreshold: 'int32', terminationGracePeriodSeconds: 'int64',
			},
		},
		ExecAction: {fields: {command: '[string] list=atomic'}},
		HTTPGetAction: {fields: {path: 'string', port: 'IntOrString req', host: 'string', scheme: 'string', httpHeaders: '[HTTPHeader] list=atomic'}},
		HTTPHeader: {fields: {name: 'string req', value: 'string req'}},
		TCPSocketAction: {fields: {port: 'IntOrString req', host: 'string'}},
		GRPCAction: {fields: {port: 'int32 req', service: 'string'}},
		Lifecycle: {fields: {postStart: 'LifecycleHandler', preStop: 'LifecycleHandler'}},
		LifecycleHandler: {fields: {exec: 'ExecAction', httpGet: 'HTTPGetAction', tcpSocket: 'TCPSocketAction', sleep: 'SleepAction'}},
		SleepAction: {fields: {seconds: 'int64 req'}},
		SecurityContext: {
			fields: {
				capabilities: 'Capabilities', privileged: 'bool', seLinuxOptions: 'object', windowsOptions: 'object', runAsUser: 'int64',
				runAsGroup: 'int64', runAsNonRoot: 'bool', readOnlyRootFilesystem: 'bool', allowPrivilegeEscalation: 'bool', procMount: 'string',
				seccompProfile: 'object', appArmorProfile: 'object',
			},
		},
		Capabilities: {fields: {add: '[string] list=atomic', drop: '[string] list=atomic'}},
		PodStatus: {
			fields: {
				phase: 'string', conditions: `[PodCondition] ${mergeBy('type')}`, message: 'string', reason: 'string', nominatedNodeName: 'string',
				hostIP: 'string', hostIPs: '[HostIP] patch=merge key=ip list=atomic', podIP: 'string', podIPs: `[PodIP] ${mergeBy('ip')}`,
				startTime: 'Time', initContainerStatuses: '[ContainerStatus] list=atomic', containerStatuses: '[ContainerStatus] list=atomic',
				qosClass: 'string', ephemeralContainerStatuses: '[ContainerStatus] list=atomic', resize: 'string',
				resourceClaimStatuses: `[object] ${mergeBy('name').replace('patch=merge', 'patch=merge,retainKeys')}`,
			},
		},
		PodCondition: {fields: {type: 'string req', status: 'string req', lastProbeTime: 'Time', lastTransitionTime: 'Time', reason: 'string', message: 'string'}},
		HostIP: {fields: {ip: 'string req'}},
		PodIP: {fields: {ip: 'string req'}},
		ContainerStatus: {
			fields: {
				name: 'string req', state: 'ContainerState', lastState: 'ContainerState', ready: 'bool req', restartCount: 'int32 req', image: 'string req',
				imageID: 'string req', containerID: 'string', started: 'bool', allocatedResources: '{Quantity}', resources: 'ResourceRequirements',
				volumeMounts: `[object] ${mergeBy('mountPath')}`, user: 'object', allocatedResourcesStatus: `[object] ${mergeBy('name')}`,
			},
		},
		ContainerState: {fields: {waiting: 'ContainerStateWaiting', running: 'ContainerStateRunning', terminated: 'ContainerStateTerminated'}},
		ContainerStateWaiting: {fields: {reason: 'string', message: 'string'}},
		ContainerStateRunning: {fields: {startedAt: 'Time'}},
		ContainerStateTerminated: {fields: {exitCode: 'int32 req', signal: 'int32', reason: 'string', message: 'string', startedAt: 'Time', finishedAt: 'Time', containerID: 'string'}},
		Service: {gvk: core('Service'), fields: {metadata: 'ObjectMeta', spec: 'ServiceSpec', status: 'ServiceStatus'}},
		ServiceSpec: {
			fields: {
				ports: `[ServicePort] ${mergeBy('port', 'port,protocol')}`, selector: '{string}', clusterIP: 'string', clusterIPs: '[string] list=atomic',
				type: 'string', externalIPs: '[string] list=atomic', sessionAffinity: 'string', loadBalancerIP: 'string',
				loadBalancerSourceRanges: '[string] list=atomic', externalName: 'string', externalTrafficPolicy: 'string', healthCheckNodePort: 'int32',
				publishNotReadyAddresses: 'bool', sessionAffinityConfig: 'object', ipFamilies: '[string] list=atomic', ipFamilyPolicy: 'string',
				allocateLoadBalancerNodePorts: 'bool', loadBalancerClass: 'string', internalTrafficPolicy: 'string', trafficDistribution: 'string',
			},
		},
		ServicePort: {fields: {name: 'string', protocol: 'string', appProtocol: 'string', port: 'int32 req', targetPort: 'IntOrString', nodePort: 'int32'}},
		ServiceStatus: {fields: {loadBalancer: 'LoadBalancerStatus', conditions: `[object] ${mergeBy('type')}`}},
		LoadBalancerStatus: {fields: {ingress: '[LoadBalancerIngress] list=atomic'}},
		LoadBalancerIngress: {fields: {ip: 'string', hostname: 'string', ipMode: 'string', ports: '[object] list=atomic'}},
		Endpoints: {gvk: core('Endpoints'), fields: {metadata: 'ObjectMeta', subsets: '[EndpointSubset] list=atomic'}},
		EndpointSubset: {fields: {addresses: '[EndpointAddress] list=atomic', notReadyAddresses: '[EndpointAddress] list=atomic', ports: '[EndpointPort] list=atomic'}},
		EndpointAddress: {fields: {ip: 'string req', hostname: 'string', nodeName: 'string', targetRef: 'ObjectReference'}},
		EndpointPort: {fields: {name: 'string', port: 'int32 req', protocol: 'string', appProtocol: 'string'}},
		Event: {
			gvk: core('Event'),
			fields: {
				metadata: 'ObjectMeta req', involvedObject: 'ObjectReference req', reason: 'string', message: 'string', source: 'EventSource',
				firstTimestamp: 'Time', lastTimestamp: 'Time', count: 'int32', type: 'string', eventTime: 'MicroTime', series: 'EventSeries',
				action: 'string', related: 'ObjectReference', reportingComponent: 'string', reportingInstance: 'string',
			},
		},
		EventSource: {fields: {component: 'string', host: 'string'}},
		EventSeries: {fields: {count: 'int32', lastObservedTime: 'MicroTime'}},
		ObjectReference: {fields: {kind: 'string', namespace: 'string', name: 'string', uid: 'string', apiVersion: 'string', resourceVersion: 'string', fieldPath: 'string'}},
	},
	[appsPkg]: {
		Deployment: {gvk: apps('Deployment'), fields: {metadata: 'ObjectMeta', spec: 'DeploymentSpec', status: 'DeploymentStatus'}},
		DeploymentSpec: {
			fields: {
				replicas: 'int32', selector: 'LabelSelector req', template: 'PodTemplateSpec req', strategy: 'DeploymentStrategy patch=retainKeys',
				minReadySeconds: 'int32', revisionHistoryLimit: 'int32', paused: 'bool', progressDeadlineSeconds: 'int32',
			},
		},
		DeploymentStrategy: {fields: {type: 'string', rollingUpdate: 'RollingUpdateDeployment'}},
		RollingUpdateDeployment: {fields: {maxUnavailable: 'IntOrString', maxSurge: 'IntOrString'}},
		DeploymentStatus: {
			fields: {
				observedGeneration: 'int64', replicas: 'int32', updatedReplicas: 'int32', readyReplicas: 'int32', availableReplicas: 'int32',
				unavailableReplicas: 'int32', terminatingReplicas: 'int32', conditions: `[DeploymentCondition] ${mergeBy('type')}`, collisionCount: 'int32',
			},
		},
		DeploymentCondition: {fields: {type: 'string req', status: 'string req', lastUpdateTime: 'Time', lastTransitionTime: 'Time', reason: 'string', message: 'string'}},
		ReplicaSet: {gvk: apps('ReplicaSet'), fields: {metadata: 'ObjectMeta', spec: 'ReplicaSetSpec', status: 'ReplicaSetStatus'}},
		ReplicaSetSpec: {fields: {replicas: 'int32', minReadySeconds: 'int32', selector: 'LabelSelector req', template: 'PodTemplateSpec'}},
		ReplicaSetStatus: {
			fields: {
				replicas: 'int32 req', fullyLabeledReplicas: 'int32', readyReplicas: 'int32', availableReplicas: 'int32', terminatingReplicas: 'int32',
				observedGeneration: 'int64', conditions: `[ReplicaSetCondition] ${mergeBy('type')}`,
			},
		},
		ReplicaSetCondition: {fields: {type: 'string req', status: 'string req', lastTransitionTime: 'Time', reason: 'string', message: 'string'}},
	},
	[autoscalingPkg]: {
		Scale: {gvk: [{group: 'autoscaling', version: 'v1', kind: 'Scale'}], fields: {metadata: 'ObjectMeta', spec: 'ScaleSpec', status: 'ScaleStatus'}},
		ScaleSpec: {fields: {replicas: 'int32'}},
		ScaleStatus: {fields: {replicas: 'int32 req', selector: 'string'}},
	},
};

// Kinds' lists (PodList, ...) follow one pattern; they are added for every served resource.
for (const r of resources) {
	const pkg = r.group === 'apps' ? appsPkg : corePkg;
	definitions[pkg]![`${r.kind}List`] = {
		gvk: [{group: r.group, version: r.version, kind: `${r.kind}List`}],
		fields: {metadata: 'ListMeta', items: `[${r.kind}] req`},
	};
}

/** Types that JSON carries as strings or numbers; real documents describe them the same way. */
const leafSchemas: Record<string, {name: string; schema: Record<string, unknown>}> = {
	Time: {name: `${metaPkg}.Time`, schema: {type: 'string', format: 'date-time', description: 'RFC 3339 time, to the second.'}},
	MicroTime: {name: `${metaPkg}.MicroTime`, schema: {type: 'string', format: 'date-time', description: 'RFC 3339 time, to the microsecond.'}},
	Quantity: {name: 'io.k8s.apimachinery.pkg.api.resource.Quantity', schema: {type: 'string', description: 'A fixed-point number with a suffix, like 100m or 64Mi.'}},
	IntOrString: {
		name: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
		schema: {type: 'string', format: 'int-or-string', description: 'An integer or a string, like 80 or "http" or "25%".'},
	},
};

/** Short name → full definition name ('Container' → 'io.k8s.api.core.v1.Container'). */
const fullNames = new Map<string, string>();
for (const [pkg, defs] of Object.entries(definitions)) for (const short of Object.keys(defs)) fullNames.set(short, `${pkg}.${short}`);
for (const [short, leaf] of Object.entries(leafSchemas)) fullNames.set(short, leaf.name);

type Flavor = 'v2' | 'v3';

function refTo(short: string, flavor: Flavor): Record<string, unknown> {
	const full = fullNames.get(short);
	if (!full) throw new Error(`openapi: unknown type ${short}`);
	return flavor === 'v2' ? {$ref: `#/definitions/${full}`} : {allOf: [{$ref: `#/components/schemas/${full}`}]};
}

function typeSchema(type: string, flavor: Flavor): Record<string, unknown> {
	if (type.startsWith('[')) return {type: 'array', items: typeSchema(type.slice(1, -1), flavor)};
	if (type.startsWith('{')) return {type: 'object', additionalProperties: typeSchema(type.slice(1, -1), flavor)};
	switch (type) {
		case 'string':
			return {type: 'string'};
		case 'bool':
			return {type: 'boolean'};
		case 'int32':
		case 'int64':
			return {type: 'integer', format: type};
		case 'object':
			return {type: 'object', 'x-kubernetes-preserve-unknown-fields': true};
		default:
			return refTo(type, flavor);
	}
}

function fieldSchema(spec: FieldSpec, flavor: Flavor): {schema: Record<string, unknown>; required: boolean} {
	const [type, ...flags] = spec.split(' ');
	const schema = typeSchema(type!, flavor);
	let required = false;
	for (const flag of flags) {
		const [name, value = ''] = flag.split('=');
		if (name === 'req') required = true;
		else if (name === 'patch') schema['x-kubernetes-patch-strategy'] = value;
		else if (name === 'key') schema['x-kubernetes-patch-merge-key'] = value;
		else if (name === 'list') {
			const [listType, keys] = value.split(':');
			schema['x-kubernetes-list-type'] = listType;
			if (keys) schema['x-kubernetes-list-map-keys'] = keys.split(',');
		} else throw new Error(`openapi: unknown flag ${flag} in ${spec}`);
	}
	return {schema, required};
}

function definitionSchema(def: DefSpec, flavor: Flavor): Record<string, unknown> {
	const properties: Record<string, unknown> = {};
	const required: string[] = [];
	if (def.gvk && def.gvk.length === 1) {
		properties.apiVersion = {type: 'string', description: 'The versioned schema of this representation of an object.'};
		properties.kind = {type: 'string', description: 'The REST resource this object represents.'};
	}
	for (const [name, spec] of Object.entries(def.fields)) {
		const field = fieldSchema(spec, flavor);
		properties[name] = field.schema;
		if (field.required) required.push(name);
	}
	return {
		...(def.description ? {description: def.description} : {}),
		type: 'object',
		...(Object.keys(properties).length > 0 ? {properties} : {}),
		...(required.length > 0 ? {required} : {}),
		...(def.gvk ? {'x-kubernetes-group-version-kind': def.gvk} : {}),
	};
}

/** All definitions reachable from the roots, by full name, in a stable order. */
function schemasFor(roots: string[], flavor: Flavor): Record<string, unknown> {
	const seen = new Set<string>();
	const queue = [...roots];
	while (queue.length > 0) {
		const short = queue.shift()!;
		if (seen.has(short)) continue;
		seen.add(short);
		const def = findDef(short);
		if (!def) continue;
		for (const spec of Object.values(def.fields)) {
			const type = spec.split(' ')[0]!.replace(/[[\]{}]/g, '');
			if (fullNames.has(type)) queue.push(type);
		}
	}
	const out: Record<string, unknown> = {};
	for (const short of [...seen].sort((a, b) => fullNames.get(a)!.localeCompare(fullNames.get(b)!))) {
		const def = findDef(short);
		out[fullNames.get(short)!] = def ? definitionSchema(def, flavor) : leafSchemas[short]!.schema;
	}
	return out;
}

function findDef(short: string): DefSpec | undefined {
	for (const defs of Object.values(definitions)) if (defs[short]) return defs[short];
	return undefined;
}

// ---- paths ----

const param = (name: string, location: 'query' | 'path', type: string, description: string, extra: Record<string, unknown> = {}) => ({
	name,
	in: location,
	description,
	...(location === 'path' ? {required: true} : {}),
	...extra,
	type,
});

const common = {
	name: param('name', 'path', 'string', 'name of the object', {uniqueItems: true}),
	namespace: param('namespace', 'path', 'string', 'object name and auth scope, such as for teams and projects', {uniqueItems: true}),
	pretty: param('pretty', 'query', 'string', "If 'true', then the output is pretty printed.", {uniqueItems: true}),
	dryRun: param('dryRun', 'query', 'string', 'When present, indicates that modifications should not be persisted. Valid value: All.', {uniqueItems: true}),
	fieldManager: param('fieldManager', 'query', 'string', 'A name associated with the actor or entity that is making these changes.', {uniqueItems: true}),
	fieldValidation: param(
		'fieldValidation',
		'query',
		'string',
		'How the server handles unknown or duplicate fields in the object: Ignore, Warn or Strict (the request fails).',
		{uniqueItems: true},
	),
	force: param('force', 'query', 'boolean', 'Force is going to "force" Apply requests; it must be unset for non-apply patch requests.', {uniqueItems: true}),
	gracePeriodSeconds: param('gracePeriodSeconds', 'query', 'integer', 'The duration in seconds before the object should be deleted.', {uniqueItems: true}),
	orphanDependents: param('orphanDependents', 'query', 'boolean', 'Deprecated: use propagationPolicy.', {uniqueItems: true}),
	propagationPolicy: param('propagationPolicy', 'query', 'string', 'Whether and how garbage collection is performed: Orphan, Background or Foreground.', {uniqueItems: true}),
	list: [
		['allowWatchBookmarks', 'boolean', 'requests watch events with type "BOOKMARK"'],
		['continue', 'string', 'the continue token of a previous, limited list'],
		['fieldSelector', 'string', 'restricts the list of returned objects by their fields'],
		['labelSelector', 'string', 'restricts the list of returned objects by their labels'],
		['limit', 'integer', 'the maximum number of responses to return for a list call'],
		['resourceVersion', 'string', 'the resourceVersion to list or watch from'],
		['resourceVersionMatch', 'string', 'how resourceVersion is applied to list calls'],
		['sendInitialEvents', 'boolean', 'start the watch stream with synthetic events of the current state'],
		['timeoutSeconds', 'integer', 'timeout for the list/watch call'],
		['watch', 'boolean', 'watch for changes to the described resources'],
	].map(([name, type, description]) => param(name!, 'query', type!, description!, {uniqueItems: true})),
};

const writeMediaTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const patchMediaTypes = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];
const readMediaTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

type Operation = {
	method: 'get' | 'post' | 'put' | 'patch' | 'delete';
	action: string;
	operationId: string;
	description: string;
	gvk: Gvk;
	parameters: unknown[];
	body?: {type: string; mediaTypes: string[]};
	response: {type: string; codes: number[]};
};

/** 'Core' / 'Apps', as the real operationIds name groups (readCoreV1NamespacedPod). */
function groupWord(info: ResourceInfo): string {
	return info.group === '' ? 'Core' : info.group[0]!.toUpperCase() + info.group.slice(1);
}

/** Every path a resource is served under, with its operations. */
function resourcePaths(info: ResourceInfo): Array<{path: string; pathParams: unknown[]; operations: Operation[]}> {
	const base = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
	const scope = info.namespaced ? 'Namespaced' : '';
	const id = `${groupWord(info)}${info.version[0]!.toUpperCase()}${info.version.slice(1)}${scope}${info.kind}`;
	const gvk: Gvk = {group: info.group, version: info.version, kind: info.kind};
	const collection = info.namespaced ? `${base}/namespaces/{namespace}/${info.resource}` : `${base}/${info.resource}`;
	const scopeParams = info.namespaced ? [common.namespace] : [];
	const writeParams = [common.dryRun, common.fieldManager, common.fieldValidation];
	const deleteParams = [common.dryRun, common.gracePeriodSeconds, common.orphanDependents, common.propagationPolicy];
	const has = (verb: string) => info.verbs.includes(verb);
	const out: Array<{path: string; pathParams: unknown[]; operations: Operation[]}> = [];

	const collectionOps: Operation[] = [];
	if (has('list')) collectionOps.push({method: 'get', action: 'list', operationId: `list${id}`, description: `list or watch objects of kind ${info.kind}`, gvk, parameters: common.list, response: {type: `${info.kind}List`, codes: [200]}});
	if (has('create')) collectionOps.push({method: 'post', action: 'post', operationId: `create${id}`, description: `create a ${info.kind}`, gvk, parameters: writeParams, body: {type: info.kind, mediaTypes: writeMediaTypes}, response: {type: info.kind, codes: [200, 201, 202]}});
	if (has('deletecollection')) collectionOps.push({method: 'delete', action: 'deletecollection', operationId: `deleteCollection${id}`, description: `delete collection of ${info.kind}`, gvk, parameters: [...deleteParams, ...common.list], body: {type: 'DeleteOptions', mediaTypes: writeMediaTypes}, response: {type: 'Status', codes: [200]}});
	out.push({path: collection, pathParams: [...scopeParams, common.pretty], operations: collectionOps});

	const itemOps: Operation[] = [];
	if (has('get')) itemOps.push({method: 'get', action: 'get', operationId: `read${id}`, description: `read the specified ${info.kind}`, gvk, parameters: [], response: {type: info.kind, codes: [200]}});
	if (has('update')) itemOps.push({method: 'put', action: 'put', operationId: `replace${id}`, description: `replace the specified ${info.kind}`, gvk, parameters: writeParams, body: {type: info.kind, mediaTypes: writeMediaTypes}, response: {type: info.kind, codes: [200, 201]}});
	if (has('patch')) itemOps.push({method: 'patch', action: 'patch', operationId: `patch${id}`, description: `partially update the specified ${info.kind}`, gvk, parameters: [...writeParams, common.force], body: {type: 'Patch', mediaTypes: patchMediaTypes}, response: {type: info.kind, codes: [200, 201]}});
	if (has('delete')) itemOps.push({method: 'delete', action: 'delete', operationId: `delete${id}`, description: `delete a ${info.kind}`, gvk, parameters: deleteParams, body: {type: 'DeleteOptions', mediaTypes: writeMediaTypes}, response: {type: info.kind === 'Pod' ? 'Pod' : 'Status', codes: [200, 202]}});
	out.push({path: `${collection}/{name}`, pathParams: [common.name, ...scopeParams, common.pretty], operations: itemOps});

	for (const sub of info.subresources) {
		const kind = sub === 'scale' ? 'Scale' : info.kind;
		const subGvk: Gvk = sub === 'scale' ? {group: 'autoscaling', version: 'v1', kind: 'Scale'} : gvk;
		const subId = `${id}${sub[0]!.toUpperCase()}${sub.slice(1)}`;
		out.push({
			path: `${collection}/{name}/${sub}`,
			pathParams: [common.name, ...scopeParams, common.pretty],
			operations: [
				{method: 'get', action: 'get', operationId: `read${subId}`, description: `read ${sub} of the specified ${info.kind}`, gvk: subGvk, parameters: [], response: {type: kind, codes: [200]}},
				{method: 'put', action: 'put', operationId: `replace${subId}`, description: `replace ${sub} of the specified ${info.kind}`, gvk: subGvk, parameters: writeParams, body: {type: kind, mediaTypes: writeMediaTypes}, response: {type: kind, codes: [200, 201]}},
				{method: 'patch', action: 'patch', operationId: `patch${subId}`, description: `partially update ${sub} of the specified ${info.kind}`, gvk: subGvk, parameters: [...writeParams, common.force], body: {type: 'Patch', mediaTypes: patchMediaTypes}, response: {type: kind, codes: [200, 201]}},
			],
		});
	}
	if (info.namespaced && has('list')) {
		out.push({
			path: `${base}/${info.resource}`,
			pathParams: [common.pretty],
			operations: [{method: 'get', action: 'list', operationId: `list${groupWord(info)}${info.version[0]!.toUpperCase()}${info.version.slice(1)}${info.kind}ForAllNamespaces`, description: `list or watch objects of kind ${info.kind}`, gvk, parameters: common.list, response: {type: `${info.kind}List`, codes: [200]}}],
		});
	}
	return out;
}

/** A v2 parameter ({type}) as v3 wants it ({schema: {type}}). */
function v3Param(p: any): unknown {
	const {type, ...rest} = p;
	return {...rest, schema: {type}};
}

function v3Operation(op: Operation): Record<string, unknown> {
	const content = (type: string, mediaTypes: string[]) => Object.fromEntries(mediaTypes.map(m => [m, {schema: refTo(type, 'v3')}]));
	return {
		description: op.description,
		operationId: op.operationId,
		...(op.parameters.length > 0 ? {parameters: op.parameters.map(v3Param)} : {}),
		...(op.body ? {requestBody: {content: content(op.body.type, op.body.mediaTypes), required: op.method !== 'delete'}} : {}),
		responses: {
			...Object.fromEntries(op.response.codes.map(code => [String(code), {description: code === 201 ? 'Created' : code === 202 ? 'Accepted' : 'OK', content: content(op.response.type, readMediaTypes)}])),
			'401': {description: 'Unauthorized'},
		},
		'x-kubernetes-action': op.action,
		'x-kubernetes-group-version-kind': op.gvk,
	};
}

function v2Operation(op: Operation): Record<string, unknown> {
	return {
		description: op.description,
		operationId: op.operationId,
		consumes: op.body ? op.body.mediaTypes : ['*/*'],
		produces: readMediaTypes,
		schemes: ['https'],
		parameters: [...(op.body ? [{name: 'body', in: 'body', required: op.method !== 'delete', schema: refTo(op.body.type, 'v2')}] : []), ...op.parameters],
		responses: {
			...Object.fromEntries(op.response.codes.map(code => [String(code), {description: code === 201 ? 'Created' : code === 202 ? 'Accepted' : 'OK', schema: refTo(op.response.type, 'v2')}])),
			'401': {description: 'Unauthorized'},
		},
		'x-kubernetes-action': op.action,
		'x-kubernetes-group-version-kind': op.gvk,
	};
}

/** Served group versions as OpenAPI v3 names them: 'api/v1', 'apis/apps/v1'. */
function groupVersions(): string[] {
	return [...new Set(resources.map(r => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`)))];
}

function resourcesOf(groupVersion: string): ResourceInfo[] {
	return resources.filter(r => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`) === groupVersion);
}

const info = {title: 'Kubernetes', version: 'v1.32.0'};

function buildV3(groupVersion: string): Record<string, unknown> | undefined {
	const served = resourcesOf(groupVersion);
	if (served.length === 0) return undefined;
	const paths: Record<string, unknown> = {};
	const roots = ['DeleteOptions', 'Status', 'Patch'];
	for (const r of served) {
		roots.push(r.kind, `${r.kind}List`);
		if (r.subresources.includes('scale')) roots.push('Scale');
		for (const p of resourcePaths(r)) {
			paths[p.path] = {
				...Object.fromEntries(p.operations.map(op => [op.method, v3Operation(op)])),
				parameters: p.pathParams.map(v3Param),
			};
		}
	}
	return {
		openapi: '3.0.0',
		info,
		paths,
		components: {
			schemas: schemasFor(roots, 'v3'),
			securitySchemes: {BearerToken: {type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header'}},
		},
	};
}

const v3Cache = new Map<string, {doc: Record<string, unknown>; hash: string} | null>();

function v3Entry(groupVersion: string): {doc: Record<string, unknown>; hash: string} | undefined {
	if (!v3Cache.has(groupVersion)) {
		const doc = buildV3(groupVersion);
		v3Cache.set(groupVersion, doc ? {doc, hash: createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase()} : null);
	}
	return v3Cache.get(groupVersion) ?? undefined;
}

/**
 * The /openapi/v3 discovery document: one entry per group version, with the URL of its document. The `hash`
 * query lets clients cache a document until it changes; the document is served whatever hash is asked for.
 */
export function openapiV3Index(): {paths: Record<string, {serverRelativeURL: string}>} {
	const paths: Record<string, {serverRelativeURL: string}> = {};
	for (const gv of groupVersions()) paths[gv] = {serverRelativeURL: `/openapi/v3/${gv}?hash=${v3Entry(gv)!.hash}`};
	return {paths};
}

/** The document at /openapi/v3/<groupVersion> ('api/v1', 'apis/apps/v1'), or undefined (404). */
export function openapiV3Document(groupVersion: string): Record<string, unknown> | undefined {
	return v3Entry(groupVersion.replace(/^\/+|\/+$/g, '').split('?')[0]!)?.doc;
}

let v2Cache: Record<string, unknown> | undefined;

/** The Swagger 2.0 document (/openapi/v2) as JSON: the same paths and schemas as the v3 documents together. */
export function openapiV2Document(): Record<string, unknown> {
	if (!v2Cache) {
		const paths: Record<string, unknown> = {};
		const roots = ['DeleteOptions', 'Status', 'Patch', 'Scale'];
		for (const r of resources) {
			roots.push(r.kind, `${r.kind}List`);
			for (const p of resourcePaths(r)) {
				paths[p.path] = {...Object.fromEntries(p.operations.map(op => [op.method, v2Operation(op)])), parameters: p.pathParams};
			}
		}
		v2Cache = {
			swagger: '2.0',
			info,
			paths,
			definitions: schemasFor(roots, 'v2'),
			securityDefinitions: {BearerToken: {type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header'}},
			security: [{BearerToken: []}],
		};
	}
	return v2Cache;
}

/** The media type of gnostic's protobuf OpenAPI v2, which kubectl asks for on /openapi/v2. */
export const openapiV2ProtobufType = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

/** The Content-Type to answer it with: Go's mime parser rejects the '@', so the server spells it with a dot. */
export const openapiV2ProtobufContentType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

let v2ProtobufCache: Buffer | undefined;

/** The Swagger 2.0 document encoded as gnostic's openapi.v2.Document protobuf, as kubectl 1.27/1.28 read it. */
export function openapiV2Protobuf(): Buffer {
	if (!v2ProtobufCache) {
		const root = new protobuf.Root();
		protobuf.parse(openapiV2Proto, root, {keepCase: true});
		root.resolveAll();
		const Document = root.lookupType('openapi.v2.Document');
		const message = gnosticDocument(openapiV2Document());
		const problem = Document.verify(message);
		if (problem) throw new Error(`openapi v2 protobuf: ${problem}`);
		v2ProtobufCache = Buffer.from(Document.encode(Document.fromObject(message)).finish());
	}
	return v2ProtobufCache;
}

/**
 * What to answer on /openapi/v2 for a request's Accept header: gnostic protobuf when it is asked for (kubectl
 * always asks for it), else the JSON document when JSON is acceptable, else undefined (406 Not Acceptable).
 */
export function openapiV2(accept = 'application/json'): {body: Buffer | Record<string, unknown>; contentType: string} | undefined {
	const acceptable = accept.split(',').map(a => a.split(';')[0]!.trim().toLowerCase());
	if (acceptable.includes(openapiV2ProtobufType)) return {body: openapiV2Protobuf(), contentType: openapiV2ProtobufContentType};
	if (acceptable.some(a => a === 'application/json' || a === '*/*' || a === 'application/*')) return {body: openapiV2Document(), contentType: 'application/json'};
	return undefined;
}

// ---- JSON Swagger → gnostic message objects (snake_case fields, oneofs spelled out) ----

type Obj = Record<string, any>;

/** Vendor extensions are gnostic Any values holding YAML; JSON is YAML, so they carry the JSON text. */
function vendorExtensions(o: Obj): Obj[] {
	return Object.entries(o)
		.filter(([k]) => k.startsWith('x-'))
		.map(([name, value]) => ({name, value: {yaml: `${JSON.stringify(value)}\n`}}));
}

function gnosticSchema(s: Obj): Obj {
	const out: Obj = {};
	if (s.$ref) out._ref = s.$ref;
	if (s.format) out.format = s.format;
	if (s.description) out.description = s.description;
	if (s.required) out.required = s.required;
	if (s.type) out.type = {value: [s.type]};
	if (s.items) out.items = {schema: [gnosticSchema(s.items)]};
	if (s.allOf) out.all_of = s.allOf.map(gnosticSchema);
	if (s.properties) out.properties = {additional_properties: Object.entries(s.properties).map(([name, value]) => ({name, value: gnosticSchema(value as Obj)}))};
	if (s.additionalProperties) out.additional_properties = {schema: gnosticSchema(s.additionalProperties)};
	const ext = vendorExtensions(s);
	if (ext.length > 0) out.vendor_extension = ext;
	return out;
}

function gnosticParameter(p: Obj): Obj {
	if (p.in === 'body') {
		return {parameter: {body_parameter: {name: p.name, in: 'body', required: Boolean(p.required), schema: gnosticSchema(p.schema), ...(p.description ? {description: p.description} : {})}}};
	}
	const common = {required: Boolean(p.required), in: p.in, description: p.description ?? '', name: p.name, type: p.type, unique_items: Boolean(p.uniqueItems)};
	const sub = p.in === 'path' ? {path_parameter_sub_schema: common} : {query_parameter_sub_schema: common};
	return {parameter: {non_body_parameter: sub}};
}

function gnosticOperation(op: Obj): Obj {
	return {
		description: op.description,
		operation_id: op.operationId,
		consumes: op.consumes,
		produces: op.produces,
		schemes: op.schemes,
		parameters: op.parameters.map(gnosticParameter),
		responses: {
			response_code: Object.entries(op.responses as Record<string, Obj>).map(([code, r]) => ({
				name: code,
				value: {response: {description: r.description, ...(r.schema ? {schema: {schema: gnosticSchema(r.schema)}} : {})}},
			})),
		},
		vendor_extension: vendorExtensions(op),
	};
}

function gnosticDocument(doc: Obj): Obj {
	const methods = ['get', 'put', 'post', 'delete', 'patch'];
	return {
		swagger: doc.swagger,
		info: doc.info,
		paths: {
			path: Object.entries(doc.paths as Record<string, Obj>).map(([name, item]) => ({
				name,
				value: {
					...Object.fromEntries(methods.filter(m => item[m]).map(m => [m, gnosticOperation(item[m])])),
					parameters: (item.parameters ?? []).map(gnosticParameter),
				},
			})),
		},
		definitions: {additional_properties: Object.entries(doc.definitions as Record<string, Obj>).map(([name, value]) => ({name, value: gnosticSchema(value)}))},
		security_definitions: {
			additional_properties: Object.entries(doc.securityDefinitions as Record<string, Obj>).map(([name, value]) => ({name, value: {api_key_security: value}})),
		},
		security: (doc.security as Array<Record<string, string[]>>).map(req => ({additional_properties: Object.entries(req).map(([name, value]) => ({name, value: {value}}))})),
	};
}
