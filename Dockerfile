# Service Gate GitHub App. Build: docker build -t service-gate .
# Run:  docker run -e APP_ID -e PRIVATE_KEY -e WEBHOOK_SECRET -p 3000:3000 service-gate
# test/shells/app/dockerfile.test.ts replays each stage with exactly the files its COPY lines bring.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
COPY rules ./rules
RUN npm ci --ignore-scripts && npm run build

FROM node:24-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/lib ./lib
COPY rules ./rules
COPY app.yml ./
USER node
EXPOSE 3000
CMD ["node", "lib/shells/app/main.js"]
