// swagger-ui-dist ships no types; the page uses only its bundle's constructor.
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  export default function SwaggerUIBundle(options: Record<string, unknown>): unknown;
}
