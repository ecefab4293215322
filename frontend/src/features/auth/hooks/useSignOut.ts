import { useState } from "react";
import { useNavigate } from "react-router";
import { signOut } from "../api/auth";

export function useSignOut(): { run: () => void; pending: boolean } {
  const navigate = useNavigate();
  const [pending, setPending] = useState(false);
  return {
    pending,
    run: () => {
      setPending(true);
      void signOut().then(() => navigate("/sign-in", { replace: true }));
    },
  };
}
