import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "contents/code/", "build/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-console": "off",
    },
  },
  {
    // The core must stay free of Node and of module-level mutable state: it is
    // shared by every widget instance on plasmashell's single QML engine.
    files: ["src/**/*.ts"],
    ignores: ["src/cli/**", "src/sim-server/**", "src/**/*.node.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "node:*",
            "fs",
            "http",
            "https",
            "tls",
            "crypto",
            "path",
            "os",
            "child_process",
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        "setTimeout",
        "setInterval",
        "clearTimeout",
        "clearInterval",
        "globalThis",
        "Intl",
        "fetch",
        "queueMicrotask",
        "structuredClone",
        "TextEncoder",
        "TextDecoder",
        "AbortController",
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "Program > VariableDeclaration[kind='let']",
          message:
            "No mutable state at module top level: plasmashell shares one engine between widget instances.",
        },
        {
          selector: "CallExpression[callee.property.name='toLocaleString']",
          message: "V4 has no Intl: format by hand (src/view/format.ts).",
        },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: globals.node },
  },
);
