/**
 * The CUDA path of onnxruntime-node 1.30.0, pinned to the PyPI files `npm run provision -- --cuda`
 * downloads (GitHub and NuGet, where onnxruntime-node's own install script looks, are unreachable
 * here; npm 11 skips that script anyway). Each file is fetched with `pip download --no-deps
 * --require-hashes`, so a changed upload fails instead of installing.
 *
 * onnxruntime-gpu 1.30.0 is built from the same commit as npm's libonnxruntime.so.1, for CUDA 13
 * (NVIDIA driver 580 or later). The CUDA libraries are the CUDA 13.0 line (what torch's cu130
 * wheels pin), which that driver serves: the provider needs libcudart, libcublas(Lt), libcurand,
 * and loads cuDNN 9, cuFFT, NVRTC and nvJitLink when a model's kernels ask for them.
 */
export interface PinnedWheel {
  /** pip's requirement, `name==version`. */
  spec: string;
  /** The exact file pip must fetch for the platform flags in PIP_PLATFORM. */
  file: string;
  sha256: string;
  /** Bytes, for the progress line before a download. */
  bytes: number;
}

export const ORT_GPU_WHEEL: PinnedWheel = {
  spec: "onnxruntime-gpu==1.30.0",
  file: "onnxruntime_gpu-1.30.0-cp311-cp311-manylinux_2_28_x86_64.whl",
  sha256: "4fbf0c5d7b5fb99266c2e8a802e3e64af68bdc383e0f3c7349b985f1087eedaa",
  bytes: 246_658_419,
};

/**
 * sha256 of the wheel's libonnxruntime.so.1.30.0: the same in every Python build of 1.30.0 (cp311
 * and cp312 checked), so an onnxruntime-gpu 1.30.0 already installed in a host's Python can stand
 * in for the download. Its provider library differs between those builds and is not pinned.
 */
export const ORT_GPU_CORE_SHA256 = "5a140dc17c8b60b35b2ceab0bb533e65ac54f06a208948417c1f9c31df6afc4c";

/** The wheel's members copied into the binding folder, and the name each gets there. */
export const ORT_GPU_MEMBERS: readonly { member: string; as: string }[] = [
  { member: "onnxruntime/capi/libonnxruntime.so.1.30.0", as: "libonnxruntime.so.1" },
  { member: "onnxruntime/capi/libonnxruntime_providers_shared.so", as: "libonnxruntime_providers_shared.so" },
  { member: "onnxruntime/capi/libonnxruntime_providers_cuda.so", as: "libonnxruntime_providers_cuda.so" },
];

export const CUDA_LIB_WHEELS: readonly PinnedWheel[] = [
  {
    spec: "nvidia-cuda-runtime==13.0.96",
    file: "nvidia_cuda_runtime-13.0.96-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
    sha256: "7f82250d7782aa23b6cfe765ecc7db554bd3c2870c43f3d1821f1d18aebf0548",
    bytes: 2_243_632,
  },
  {
    spec: "nvidia-cublas==13.1.0.3",
    file: "nvidia_cublas-13.1.0.3-py3-none-manylinux_2_27_x86_64.whl",
    sha256: "ee8722c1f0145ab246bccb9e452153b5e0515fd094c3678df50b2a0888b8b171",
    bytes: 423_133_236,
  },
  {
    spec: "nvidia-curand==10.4.0.35",
    file: "nvidia_curand-10.4.0.35-py3-none-manylinux_2_27_x86_64.whl",
    sha256: "1aee33a5da6e1db083fe2b90082def8915f30f3248d5896bcec36a579d941bfc",
    bytes: 59_544_258,
  },
  {
    spec: "nvidia-cufft==12.0.0.61",
    file: "nvidia_cufft-12.0.0.61-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
    sha256: "6c44f692dce8fd5ffd3e3df134b6cdb9c2f72d99cf40b62c32dde45eea9ddad3",
    bytes: 214_085_489,
  },
  {
    spec: "nvidia-cuda-nvrtc==13.0.88",
    file: "nvidia_cuda_nvrtc-13.0.88-py3-none-manylinux2010_x86_64.manylinux_2_12_x86_64.whl",
    sha256: "ad9b6d2ead2435f11cbb6868809d2adeeee302e9bb94bcf0539c7a40d80e8575",
    bytes: 90_215_200,
  },
  {
    spec: "nvidia-nvjitlink==13.0.88",
    file: "nvidia_nvjitlink-13.0.88-py3-none-manylinux2010_x86_64.manylinux_2_12_x86_64.whl",
    sha256: "13a74f429e23b921c1109976abefacc69835f2f433ebd323d3946e11d804e47b",
    bytes: 40_713_933,
  },
  {
    spec: "nvidia-cudnn-cu13==9.13.0.50",
    file: "nvidia_cudnn_cu13-9.13.0.50-py3-none-manylinux_2_27_x86_64.whl",
    sha256: "2150b4850725d30653ec3e365f0732e3e2e3eb8633cf3bd2d3117628dea8b4f9",
    bytes: 348_571_624,
  },
];

/**
 * pip's target flags: the same file on any host (the GPU wheel's Python tag does not matter, only
 * its shared libraries are used; the nvidia wheels are py3-none).
 */
export const PIP_PLATFORM = [
  "--only-binary=:all:",
  "--implementation",
  "cp",
  "--python-version",
  "3.11",
  "--abi",
  "cp311",
  ...[
    "manylinux_2_28_x86_64",
    "manylinux_2_27_x86_64",
    "manylinux_2_17_x86_64",
    "manylinux2014_x86_64",
  ].flatMap((p) => ["--platform", p]),
];

/** What libonnxruntime_providers_cuda.so and the kernels it loads ask for, by soname. */
export const CUDA_SONAMES = [
  "libcudart.so.13",
  "libcublas.so.13",
  "libcublasLt.so.13",
  "libcurand.so.10",
  "libcufft.so.12",
  "libnvrtc.so.13",
  "libnvJitLink.so.13",
  "libcudnn.so.9",
] as const;
