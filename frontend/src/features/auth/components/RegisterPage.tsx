import { AuthForm } from "./AuthForm";

export default function RegisterPage() {
  return <AuthForm mode="register" />;
}
