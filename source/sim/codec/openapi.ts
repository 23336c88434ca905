// OpenAPI documents for the kinds the simulator serves. kubectl downloads them before `create -f` and `apply -f`:
// with none it stops with "failed to download openapi". It reads two things: the PATCH operations (their
// x-kubernetes-group-version-kind and the fieldValidation parameter tell it the server validates fields, so it
// skips client-side validation) and the schemas' patch metadata (merge keys and strategies for `apply`'s
// strategic merge patch). Both documents are generated from the compact description in openapi/definitions.ts;
// this file only gathers what the server and tests import: the v3 documents (openapi/v3.ts) and v2 (openapi/v2.ts).
export {openapiV2, openapiV2Document, openapiV2Protobuf, openapiV2ProtobufContentType, openapiV2ProtobufType} from './openapi/v2.js';
export {openapiV3Document, openapiV3Index} from './openapi/v3.js';
