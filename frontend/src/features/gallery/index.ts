/** What other features may use from the gallery. */
export { RecentIllustrations } from "./components/RecentIllustrations";
export { galleryKeys, type Illustration } from "./api/gallery";
export { useBookIllustrations } from "./hooks/useIllustrations";
