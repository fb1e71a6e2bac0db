// Acts as the Pulumi engine against the NeoCloud component provider, through Pulumi's own generated gRPC client
// (@pulumi/pulumi proto/provider_grpc_pb.js), so the peer is not our .proto.
//
//   node get-schema.js <port>   -> {"ok":true,"schema":"<the provider's schema JSON>"}
//                                  or {"ok":false,"code":<grpc status>,"details":"..."} on stdout
'use strict';
const grpc = require('@grpc/grpc-js');
const { ResourceProviderClient } = require('@pulumi/pulumi/proto/provider_grpc_pb');
const pb = require('@pulumi/pulumi/proto/provider_pb');

function getSchema(port) {
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const request = new pb.GetSchemaRequest();
  request.setVersion(0);
  return new Promise((resolve) => {
    client.getSchema(request, { deadline: Date.now() + 60000 }, (err, res) => {
      client.close();
      resolve(err ? { ok: false, code: err.code, details: err.details } : { ok: true, schema: res.getSchema() });
    });
  });
}

const [port] = process.argv.slice(2);
if (!/^[0-9]+$/.test(port || '')) {
  process.stderr.write('usage: node get-schema.js <port>\n');
  process.exit(2);
}
getSchema(port).then((result) => process.stdout.write(JSON.stringify(result)));
