/** The look-up of Debian 12's newest dated image that the AWS components send, written out literally. */
export function debianImageQuery(architecture: "amd64" | "arm64", awsArchitecture: "x86_64" | "arm64") {
  return {
    owners: ["136693071363"],
    mostRecent: true,
    nameRegex: `^debian-12-${architecture}-\\d{8}-\\d+$`,
    filters: [
      { name: "name", values: [`debian-12-${architecture}-*`] },
      { name: "architecture", values: [awsArchitecture] },
    ],
  };
}
