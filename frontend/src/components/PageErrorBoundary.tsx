/** Catches a page that throws or whose chunk fails to load, and offers a way on. */
import { Component, type ReactNode } from "react";
import { RouteError } from "./RouteError";

type State = { error: unknown };

export class PageErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  componentDidCatch(error: unknown): void {
    console.error(error);
  }

  render() {
    return this.state.error ? <RouteError /> : this.props.children;
  }
}
