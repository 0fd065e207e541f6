// esbuild bundles CSS imported from JS into widget.css next to widget.js.
declare module "*.css";
