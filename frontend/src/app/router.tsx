/**
 * Routes, each page its own chunk loaded on first visit. Declarative routes (not the data
 * router): the app loads data with TanStack Query, and this keeps ~18 kB gzipped out of the
 * first load.
 */
import { lazy, Suspense } from "react";
import { Navigate, Route, Routes } from "react-router";
import { AppLayout } from "@/components/AppLayout";
import { PageErrorBoundary } from "@/components/PageErrorBoundary";
import { RequireSession, RequireSignedOut, SessionPending } from "@/components/SessionGates";

const SignInPage = lazy(() => import("@/features/auth/components/SignInPage"));
const RegisterPage = lazy(() => import("@/features/auth/components/RegisterPage"));
const LibraryPage = lazy(() => import("@/features/library/components/LibraryPage"));
const BookPage = lazy(() => import("@/features/library/components/BookPage"));
const AccountPage = lazy(() => import("@/features/account/components/AccountPage"));
const ReaderPage = lazy(() => import("@/features/reader/ReaderPage"));
const GalleryPage = lazy(() => import("@/features/gallery/components/GalleryPage"));
const CastPage = lazy(() => import("@/features/cast/components/CastPage"));
const AdminPage = lazy(() => import("@/features/admin/components/AdminPage"));
const NotFoundPage = lazy(() => import("@/components/NotFoundPage"));

export function AppRoutes() {
  return (
    <PageErrorBoundary>
      <Suspense fallback={<SessionPending />}>
        <Routes>
          {/* the addresses people type out of habit */}
          <Route path="/login" element={<Navigate to="/sign-in" replace />} />
          <Route path="/signup" element={<Navigate to="/register" replace />} />
          <Route element={<RequireSignedOut />}>
            <Route path="/sign-in" element={<SignInPage />} />
            <Route path="/register" element={<RegisterPage />} />
          </Route>
          <Route element={<RequireSession />}>
            <Route path="/books/:bookId/read" element={<ReaderPage />} />
            <Route element={<AppLayout />}>
              <Route index element={<LibraryPage />} />
              <Route path="/books/:bookId" element={<BookPage />} />
              <Route path="/books/:bookId/gallery" element={<GalleryPage />} />
              <Route path="/books/:bookId/cast" element={<CastPage />} />
              <Route path="/account" element={<AccountPage />} />
              <Route path="/admin" element={<AdminPage />} />
              <Route path="/library" element={<Navigate to="/" replace />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Route>
        </Routes>
      </Suspense>
    </PageErrorBoundary>
  );
}
