// kubectl describe.go DescribePodTemplate text (what `kubectl rollout history --revision=N` prints), in the newest wording:
// port names (1.34) and projected sources' Optional (1.33); describeProbe, and expandTabs for showing it.
import type {Container, EnvVar, LabelSelector, PodTemplateSpec, Probe, Toleration, Volume} from './types.js';
import {goQuote, labelSelectorString, parseQuantity} from './util.js';

// describeTemplate: kubectl describe.go DescribePodTemplate, byte for byte (tabs included; kubectl
// prints this text without a tabwriter, so a terminal expands the tabs to 8-column stops).

class PrefixWriter {
	out = '';
	write(level: number, text: string): void {
		this.out += '  '.repeat(level) + text;
	}
}

function sortedKeys(o: Record<string, unknown>): string[] {
	return Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function printLabelsMultiline(w: PrefixWriter, title: string, labels: Record<string, string> | null | undefined): void {
	w.write(0, `${title}:\t`);
	const keys = sortedKeys(labels ?? {});
	if (keys.length === 0) {
		w.write(0, '<none>\n');
		return;
	}
	keys.forEach((k, i) => {
		if (i !== 0) w.write(0, '\t');
		w.write(0, `${k}=${labels![k]}\n`);
	});
}

const MAX_ANNOTATION_LEN = 140;
const SKIPPED_DESCRIBE_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

function shorten(s: string, max: number): string {
	return s.length > max ? `${s.slice(0, max)}...` : s;
}

function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string>): void {
	w.write(0, `${title}:\t`);
	const keys = sortedKeys(annotations).filter((k) => !SKIPPED_DESCRIBE_ANNOTATIONS.has(k));
	if (keys.length === 0) {
		w.write(0, '<none>\n');
		return;
	}
	keys.forEach((k, i) => {
		if (i !== 0) w.write(0, '\t');
		const value = annotations[k].replace(/\n$/, '');
		if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
			w.write(0, `${k}:\n`);
			for (const line of value.split('\n')) w.write(0, `\t  ${shorten(line, MAX_ANNOTATION_LEN - 2)}\n`);
		} else {
			w.write(0, `${k}: ${value}\n`);
		}
	});
}

function portString(v: unknown): string {
	return v === undefined || v === null ? '' : String(v);
}

// kubectl's DescribeProbe one-liner, e.g. "http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3".
export function describeProbe(probe: Probe): string {
	const attrs = `delay=${probe.initialDelaySeconds ?? 0}s timeout=${probe.timeoutSeconds ?? 0}s period=${probe.periodSeconds ?? 0}s #success=${probe.successThreshold ?? 0} #failure=${probe.failureThreshold ?? 0}`;
	if (probe.exec) return `exec [${(probe.exec.command ?? []).join(' ')}] ${attrs}`;
	if (probe.httpGet) {
		const g = probe.httpGet;
		const scheme = (g.scheme ?? '').toLowerCase();
		const port = portString(g.port);
		const host = g.host ?? '';
		const hostPart = port.length > 0 ? `${host.includes(':') ? `[${host}]` : host}:${port}` : host;
		let path = g.path ?? '';
		if (path && !path.startsWith('/') && hostPart) path = `/${path}`;
		const url = `${scheme ? `${scheme}:` : ''}${hostPart || scheme ? `//${hostPart}` : ''}${path}`;
		return `http-get ${url} ${attrs}`;
	}
	if (probe.tcpSocket) return `tcp-socket ${probe.tcpSocket.host ?? ''}:${portString(probe.tcpSocket.port)} ${attrs}`;
	if (probe.grpc) return `grpc <pod>:${probe.grpc.port ?? 0} ${probe.grpc.service ?? ''} ${attrs}`;
	return `unknown ${attrs}`;
}

function resourceValue(container: Container, resource: string, divisor: unknown): string {
	const [kind, name] = resource.split('.', 2) as [string, string | undefined];
	const map = kind === 'limits' ? container.resources?.limits : kind === 'requests' ? container.resources?.requests : undefined;
	const raw = name && map ? map[name] : undefined;
	const value = raw === undefined ? 0 : (parseQuantity(raw) ?? 0);
	const div = parseQuantity(divisor ?? '1') || 1;
	// kubectl rounds up (cpu in millicores / divisor, memory in bytes / divisor); the epsilon absorbs float noise.
	return String(Math.ceil(value / div - 1e-9));
}

function describeEnv(w: PrefixWriter, container: Container, env: EnvVar): void {
	const name = env.name ?? '';
	if (!env.valueFrom) {
		for (const [i, line] of (env.value ?? '').split('\n').entries()) w.write(3, i === 0 ? `${name}:\t${line}\n` : `\t${line}\n`);
		return;
	}
	const from = env.valueFrom;
	if (from.fieldRef) {
		w.write(3, `${name}:\t (${from.fieldRef.apiVersion ?? ''}:${from.fieldRef.fieldPath ?? ''})\n`);
	} else if (from.resourceFieldRef) {
		const resource = from.resourceFieldRef.resource ?? '';
		let value = resourceValue(container, resource, from.resourceFieldRef.divisor);
		if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) value = 'node allocatable';
		w.write(3, `${name}:\t${value} (${resource})\n`);
	} else if (from.secretKeyRef) {
		const r = from.secretKeyRef;
		w.write(3, `${name}:\t<set to the key '${r.key ?? ''}' in secret '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`);
	} else if (from.configMapKeyRef) {
		const r = from.configMapKeyRef;
		w.write(3, `${name}:\t<set to the key '${r.key ?? ''}' of config map '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`);
	}
}

function describeContainers(w: PrefixWriter, label: string, containers: Container[]): void {
	w.write(0, `  ${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
	for (const c of containers) {
		w.write(1, ` ${c.name ?? ''}:\n`);
		w.write(2, `Image:\t${c.image ?? ''}\n`);
		// describeContainerPorts / describeContainerHostPorts (kubectl 1.34): a named port says its name.
		const named = (text: string, name: string | undefined) => (name ? `${text} (${name})` : text);
		const ports = (c.ports ?? []).map((p) => named(`${p.containerPort ?? 0}/${p.protocol ?? ''}`, p.name)).join(', ');
		w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
		const hostPorts = (c.ports ?? []).map((p) => named(`${p.hostPort ?? 0}/${p.protocol ?? ''}`, p.name)).join(', ');
		w.write(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
		const seccomp = c.securityContext?.seccompProfile;
		if (seccomp) {
			w.write(2, `SeccompProfile:\t${seccomp.type ?? ''}\n`);
			if (seccomp.type === 'Localhost') w.write(3, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
		}
		if ((c.command ?? []).length > 0) {
			w.write(2, 'Command:\n');
			for (const part of c.command!) for (const line of part.split('\n')) w.write(3, `${line}\n`);
		}
		if ((c.args ?? []).length > 0) {
			w.write(2, 'Args:\n');
			for (const part of c.args!) for (const line of part.split('\n')) w.write(3, `${line}\n`);
		}
		const limits = c.resources?.limits ?? {};
		const requests = c.resources?.requests ?? {};
		if (Object.keys(limits).length > 0) w.write(2, 'Limits:\n');
		for (const k of sortedKeys(limits)) w.write(3, `${k}:\t${limits[k]}\n`);
		if (Object.keys(requests).length > 0) w.write(2, 'Requests:\n');
		for (const k of sortedKeys(requests)) w.write(3, `${k}:\t${requests[k]}\n`);
		if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
		if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
		if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
		if ((c.envFrom ?? []).length > 0) {
			w.write(2, 'Environment Variables from:\n');
			for (const e of c.envFrom!) {
				const isCm = Boolean(e.configMapRef);
				const ref = e.configMapRef ?? e.secretRef;
				const from = isCm ? 'ConfigMap' : e.secretRef ? 'Secret' : '';
				const optional = ref?.optional === true;
				w.write(
					3,
					e.prefix
						? `${ref?.name ?? ''}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n`
						: `${ref?.name ?? ''}\t${from}\tOptional: ${optional}\n`,
				);
			}
		}
		const env = c.env ?? [];
		w.write(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
		for (const e of env) describeEnv(w, c, e);
		const mounts = [...(c.volumeMounts ?? [])].sort((a, b) =>
			(a.mountPath ?? '') < (b.mountPath ?? '') ? -1 : (a.mountPath ?? '') > (b.mountPath ?? '') ? 1 : 0,
		);
		w.write(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
		for (const m of mounts) {
			const flags = [m.readOnly ? 'ro' : 'rw'];
			if (m.subPath) flags.push(`path=${goQuote(m.subPath)}`);
			w.write(3, `${m.mountPath ?? ''} from ${m.name ?? ''} (${flags.join(',')})\n`);
		}
		const devices = [...(c.volumeDevices ?? [])].sort((a, b) => ((a.devicePath ?? '') < (b.devicePath ?? '') ? -1 : 1));
		if (devices.length > 0) {
			w.write(2, `Devices:${mounts.length === 0 ? '\t<none>' : ''}\n`);
			for (const dev of devices) w.write(3, `${dev.devicePath ?? ''} from ${dev.name ?? ''}\n`);
		}
	}
}

function describeVolume(w: PrefixWriter, v: Volume): void {
	if (v.hostPath) {
		w.write(
			2,
			`Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path ?? ''}\n    HostPathType:\t${v.hostPath.type ?? '<none>'}\n`,
		);
	} else if (v.emptyDir) {
		const size =
			v.emptyDir.sizeLimit !== undefined && (parseQuantity(v.emptyDir.sizeLimit) ?? 0) > 0 ? String(v.emptyDir.sizeLimit) : '<unset>';
		w.write(
			2,
			`Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${size}\n`,
		);
	} else if (v.secret) {
		w.write(
			2,
			`Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ''}\n    Optional:\t${v.secret.optional === true}\n`,
		);
	} else if (v.configMap) {
		w.write(
			2,
			`Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ''}\n    Optional:\t${v.configMap.optional === true}\n`,
		);
	} else if (v.nfs) {
		w.write(
			2,
			`Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${v.nfs.server ?? ''}\n    Path:\t${v.nfs.path ?? ''}\n    ReadOnly:\t${v.nfs.readOnly === true}\n`,
		);
	} else if (v.persistentVolumeClaim) {
		w.write(
			2,
			`Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName ?? ''}\n    ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`,
		);
	} else if (v.downwardAPI) {
		w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
		for (const item of v.downwardAPI.items ?? []) {
			if (item.fieldRef) w.write(3, `${item.fieldRef.fieldPath ?? ''} -> ${item.path ?? ''}\n`);
			if (item.resourceFieldRef) w.write(3, `${item.resourceFieldRef.resource ?? ''} -> ${item.path ?? ''}\n`);
		}
	} else if (v.projected) {
		w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
		for (const s of v.projected.sources ?? []) {
			// printProjectedVolumeSource (kubectl 1.33): Optional is the value, false when unset. (1.32 printed the
			// *bool as SecretOptionalName/ConfigMapOptional: "<nil>", or a memory address when set.)
			if (s.secret) w.write(2, `SecretName:\t${s.secret.name ?? ''}\n    Optional:\t${s.secret.optional === true}\n`);
			else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
			else if (s.configMap) w.write(2, `ConfigMapName:\t${s.configMap.name ?? ''}\n    Optional:\t${s.configMap.optional === true}\n`);
			else if (s.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 0}\n`);
		}
	} else {
		// Other sources (CSI, ephemeral, cloud disks...) are rare in Deployments; name the kind only.
		const kind = Object.keys(v).find((k) => k !== 'name');
		w.write(1, kind ? `Type:\t${kind}\n` : '<unknown>\n');
	}
}

// metav1.FormatLabelSelector: the selector's string form, "<none>" when empty, "<error>" when it cannot be one.
function formatLabelSelector(sel: LabelSelector | null | undefined): string {
	const text = labelSelectorString(sel);
	return text === undefined ? '<error>' : text === '' ? '<none>' : text;
}

function printTolerations(w: PrefixWriter, title: string, tolerations: Toleration[]): void {
	w.write(0, `${title}:\t`);
	if (tolerations.length === 0) {
		w.write(0, '<none>\n');
		return;
	}
	const sorted = [...tolerations].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
	sorted.forEach((t, i) => {
		if (i !== 0) w.write(0, '\t');
		let s = t.key ?? '';
		if (t.value) s += `=${t.value}`;
		if (t.effect) s += `:${t.effect}`;
		if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
		if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
		w.write(0, `${s}\n`);
	});
}

// kubectl's DescribePodTemplate text (what `kubectl rollout history --revision=N` prints under its first line).
export function describeTemplate(template: PodTemplateSpec | null | undefined): string {
	const w = new PrefixWriter();
	w.write(0, 'Pod Template:\n');
	if (!template) {
		w.write(1, '<unset>');
		return w.out;
	}
	const meta = template.metadata ?? {};
	const spec = template.spec ?? {};
	printLabelsMultiline(w, '  Labels', meta.labels);
	if (meta.annotations && Object.keys(meta.annotations).length > 0) printAnnotationsMultiline(w, '  Annotations', meta.annotations);
	if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
	if ((spec.initContainers ?? []).length > 0) describeContainers(w, 'Init Containers', spec.initContainers!);
	describeContainers(w, 'Containers', spec.containers ?? []);
	const volumes = spec.volumes ?? [];
	if (volumes.length === 0) {
		w.write(0, '  Volumes:\t<none>\n');
	} else {
		w.write(0, '  Volumes:\n');
		for (const v of volumes) {
			w.write(1, ` ${v.name ?? ''}:\n`);
			describeVolume(w, v);
		}
	}
	const tscs = [...(spec.topologySpreadConstraints ?? [])].sort((a, b) => ((a.topologyKey ?? '') < (b.topologyKey ?? '') ? -1 : 1));
	if (tscs.length > 0) {
		w.write(0, '  Topology Spread Constraints:\t');
		tscs.forEach((t, i) => {
			if (i !== 0) w.write(0, '  \t');
			let s = `${t.topologyKey ?? ''}:${t.whenUnsatisfiable ?? ''} when max skew ${t.maxSkew ?? 0} is exceeded`;
			if (t.labelSelector) s += ` for selector ${formatLabelSelector(t.labelSelector)}`;
			w.write(0, `${s}\n`);
		});
	}
	if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
	printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector);
	printTolerations(w, '  Tolerations', spec.tolerations ?? []);
	return w.out;
}

// Tabs expanded to 8-column stops, i.e. what a terminal shows for kubectl's raw describe text.
export function expandTabs(text: string, tabWidth = 8): string {
	return text
		.split('\n')
		.map((line) => {
			let out = '';
			for (const ch of line) {
				if (ch === '\t') out += ' '.repeat(tabWidth - (out.length % tabWidth));
				else out += ch;
			}
			return out;
		})
		.join('\n');
}
