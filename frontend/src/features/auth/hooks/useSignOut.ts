import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { signOut } from "../api/auth";

export function useSignOut(): { run: () => void; pending: boolean } {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [pending, setPending] = useState(false);
  return {
    pending,
    run: () => {
      setPending(true);
      void signOut().then(() => {
        queryClient.clear(); // the next account must not see this one's books
        void navigate("/sign-in", { replace: true });
      });
    },
  };
}
