/** Routes, each page its own chunk (loaded on first visit). */
import { createBrowserRouter, Navigate } from "react-router";
import { AppLayout } from "@/components/AppLayout";
import { RequireSession, RequireSignedOut } from "@/components/SessionGates";
import { RouteError } from "@/components/RouteError";

export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      {
        element: <RequireSignedOut />,
        children: [
          {
            path: "/sign-in",
            lazy: () => import("@/features/auth/components/SignInPage").then(asPage),
          },
          {
            path: "/register",
            lazy: () => import("@/features/auth/components/RegisterPage").then(asPage),
          },
        ],
      },
      {
        element: <RequireSession />,
        children: [
          {
            path: "/books/:bookId/read",
            lazy: () => import("@/features/reader/ReaderPage").then(asPage),
          },
          {
            element: <AppLayout />,
            children: [
              {
                index: true,
                lazy: () => import("@/features/library/components/LibraryPage").then(asPage),
              },
              {
                path: "/books/:bookId",
                lazy: () => import("@/features/library/components/BookPage").then(asPage),
              },
              {
                path: "/account",
                lazy: () => import("@/features/account/components/AccountPage").then(asPage),
              },
              { path: "/library", element: <Navigate to="/" replace /> },
              {
                path: "*",
                lazy: () => import("@/components/NotFoundPage").then(asPage),
              },
            ],
          },
        ],
      },
    ],
  },
]);

function asPage(module: { default: React.ComponentType }) {
  return { Component: module.default };
}
