// RoleBinding and ClusterRoleBinding columns, as the real printer (printRoleBinding) fills them: the role as
// Kind/name, and with -o wide the users, groups and service accounts (namespace/name) bound. Roles print with the
// server's default columns (Name, Created At), as the real server prints them too.
import type {KubeObject} from '../../store.js';
import {since} from './age.js';
import {ageColumn, column, nameColumn, wide, type Printer} from './printer.js';

/** rbac.SubjectsStrings: users, groups and service accounts (namespace/name) of a binding's subjects. */
function subjectsStrings(o: KubeObject): [string[], string[], string[]] {
	const users: string[] = [];
	const groups: string[] = [];
	const serviceAccounts: string[] = [];
	for (const s of (o.subjects ?? []) as Array<{kind?: string; name?: string; namespace?: string}>) {
		if (s.kind === 'User') users.push(s.name ?? '');
		else if (s.kind === 'Group') groups.push(s.name ?? '');
		else if (s.kind === 'ServiceAccount') serviceAccounts.push(`${s.namespace ?? ''}/${s.name ?? ''}`);
	}
	return [users, groups, serviceAccounts];
}

/** RoleBinding and ClusterRoleBinding share the printer. */
export const roleBindingPrinter: Printer = {
	columns: [
		nameColumn,
		column('Role', 'RoleRef is the Role or ClusterRole the binding grants.'),
		ageColumn,
		column('Users', 'Users in the roleBinding', wide),
		column('Groups', 'Groups in the roleBinding', wide),
		column('ServiceAccounts', 'ServiceAccounts in the roleBinding', wide),
	],
	row: (o, now) => {
		const [users, groups, serviceAccounts] = subjectsStrings(o);
		return {
			cells: [
				o.metadata.name ?? '',
				`${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`,
				since(o.metadata.creationTimestamp, now),
				users.join(', '),
				groups.join(', '),
				serviceAccounts.join(', '),
			],
		};
	},
};
