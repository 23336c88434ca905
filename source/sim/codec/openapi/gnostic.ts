// JSON Swagger → gnostic's openapi.v2 message objects (snake_case fields, oneofs spelled out); separate because it is a mechanical translation, not Kubernetes rules.

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
	if (s.properties)
		out.properties = {
			additional_properties: Object.entries(s.properties).map(([name, value]) => ({name, value: gnosticSchema(value as Obj)})),
		};
	if (s.additionalProperties) out.additional_properties = {schema: gnosticSchema(s.additionalProperties)};
	const ext = vendorExtensions(s);
	if (ext.length > 0) out.vendor_extension = ext;
	return out;
}

function gnosticParameter(p: Obj): Obj {
	if (p.in === 'body') {
		return {
			parameter: {
				body_parameter: {
					name: p.name,
					in: 'body',
					required: Boolean(p.required),
					schema: gnosticSchema(p.schema),
					...(p.description ? {description: p.description} : {}),
				},
			},
		};
	}
	const common = {
		required: Boolean(p.required),
		in: p.in,
		description: p.description ?? '',
		name: p.name,
		type: p.type,
		unique_items: Boolean(p.uniqueItems),
	};
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

/** The JSON Swagger document as the object protobufjs encodes as openapi.v2.Document. */
export function gnosticDocument(doc: Obj): Obj {
	const methods = ['get', 'put', 'post', 'delete', 'patch'];
	return {
		swagger: doc.swagger,
		info: doc.info,
		paths: {
			path: Object.entries(doc.paths as Record<string, Obj>).map(([name, item]) => ({
				name,
				value: {
					...Object.fromEntries(methods.filter((m) => item[m]).map((m) => [m, gnosticOperation(item[m])])),
					parameters: (item.parameters ?? []).map(gnosticParameter),
				},
			})),
		},
		definitions: {
			additional_properties: Object.entries(doc.definitions as Record<string, Obj>).map(([name, value]) => ({
				name,
				value: gnosticSchema(value),
			})),
		},
		security_definitions: {
			additional_properties: Object.entries(doc.securityDefinitions as Record<string, Obj>).map(([name, value]) => ({
				name,
				value: {api_key_security: value},
			})),
		},
		security: (doc.security as Array<Record<string, string[]>>).map((req) => ({
			additional_properties: Object.entries(req).map(([name, value]) => ({name, value: {value}})),
		})),
	};
}
