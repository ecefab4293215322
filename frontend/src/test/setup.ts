import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// findBy… waits up to this long for the screen to show what a user would wait for.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => cleanup());
