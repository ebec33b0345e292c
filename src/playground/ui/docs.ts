// GET /docs: Swagger UI over the router's /openapi.json (relative, so it works under a path prefix).
import SwaggerUIBundle from 'swagger-ui-dist/swagger-ui-bundle.js';

SwaggerUIBundle({ url: 'openapi.json', dom_id: '#docs', validatorUrl: null, deepLinking: false, displayOperationId: true });
